"""Input-pipeline throughput against TensorFlow's tf.data in the same run: elements per second of three pipelines.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/data_pipelines.py [--peers-python PATH]
       [--only a,b,c] [--quick] [--repeats 2] [--image-format png|jpeg]
  (a) TFRecordDataset of MNIST Examples -> parse_single_example + decode_raw + cast/255 -> shuffle(10000)
      -> batch(256) -> prefetch
  (b) from_tensor_slices of the MNIST training arrays -> cast/255 -> shuffle(10000) -> batch(32) -> prefetch
  (c) image files of a directory -> read_file + decode_png/decode_jpeg + resize + random_flip_left_right
      -> batch(32) -> prefetch
The data is written once into a temporary directory (TFRecords with ferroflow's TFRecordWriter and
tf.train.Example; images with ferroflow's tf.io.encode_png/encode_jpeg, or TensorFlow's where ferroflow has no
encoder yet) and both frameworks read the same files. The same workload code then runs with
``import ferroflow as tf`` and with ``import tensorflow as tf`` (from --peers-python, an environment with
tensorflow-cpu), each in its own process. Maps use ``num_parallel_calls=tf.data.AUTOTUNE``. The source is
repeated, so that after a warm-up (which also fills the shuffle buffer) a fixed number of elements is timed
in steady state, ``--repeats`` times; the fastest counts. The ratio is ferroflow's elements per second over
TensorFlow's (above 1 is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import _idx, datasets_dir

HERE = Path(__file__).resolve().parent
PIPELINES = {
    "a": "TFRecord + parse_single_example + decode_raw, shuffle, batch 256",
    "b": "from_tensor_slices MNIST, map, shuffle, batch 32",
    "c": "image files + read_file + decode + resize + flip, batch 32",
}
# (elements of warm-up, elements timed) per pipeline, for a full run and for --quick
COUNTS = {"a": (20_000, 120_000), "b": (20_000, 160_000), "c": (2_000, 16_000)}
QUICK = {"a": (512, 2048), "b": (512, 2048), "c": (64, 256)}
IMAGES, IMAGE_SIDE, RESIZE = 2000, 64, [32, 32]
TFRECORD_SHARDS = 4


def mnist_train() -> tuple:
    d = datasets_dir() / "mnist"
    return _idx(d / "train-images-idx3-ubyte.gz"), _idx(d / "train-labels-idx1-ubyte.gz").astype(np.int64)


def images_from_digits(x: np.ndarray, n: int) -> np.ndarray:
    """``n`` RGB images of IMAGE_SIDE squared: MNIST digits scaled up twice, padded, tinted per channel."""
    big = np.kron(x[:n], np.ones((2, 2), np.uint8))
    pad = (IMAGE_SIDE - big.shape[1]) // 2
    big = np.pad(big, ((0, 0), (pad, pad), (pad, pad)))
    return np.stack([big, 255 - big, big // 2], axis=-1).astype(np.uint8)


# -- the data, written once


def write_tfrecords(tf, x: np.ndarray, y: np.ndarray, directory: str) -> None:
    n = TFRECORD_SHARDS
    paths = [os.path.join(directory, f"mnist-{i:05d}-of-{n:05d}.tfrecord") for i in range(n)]
    writers = [tf.io.TFRecordWriter(p) for p in paths]
    for i, (image, label) in enumerate(zip(x, y)):
        feature = {
            "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[image.tobytes()])),
            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
        }
        example = tf.train.Example(features=tf.train.Features(feature=feature))
        writers[i % n].write(example.SerializeToString())
    for w in writers:
        w.close()


WRITE_IMAGES = """
import os, sys, numpy as np
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
images, directory, fmt = np.load(sys.argv[1]), sys.argv[2], sys.argv[3]
encode = tf.io.encode_png if fmt == "png" else tf.io.encode_jpeg
for i, image in enumerate(images):
    tf.io.write_file(os.path.join(directory, f"{i:05d}.{fmt}"), encode(image))
"""


def write_images(x: np.ndarray, directory: str, fmt: str, peers_python: str) -> str:
    """Writes the images with ferroflow's encoder when it has one, else with TensorFlow's; says which."""
    images = images_from_digits(x, IMAGES)
    import ferroflow as tf

    try:
        encode = getattr(tf.io, f"encode_{fmt}")
        for i, image in enumerate(images):
            tf.io.write_file(os.path.join(directory, f"{i:05d}.{fmt}"), encode(image))
        return "ferroflow"
    except Exception as e:  # no encoder yet (or one that fails): TensorFlow writes them
        why = f"{type(e).__name__}: {str(e)[:100]}"
    arrays = os.path.join(directory, "images.npy")
    np.save(arrays, images)
    subprocess.run([peers_python, "-c", WRITE_IMAGES, arrays, directory, fmt], check=True, capture_output=True)
    os.unlink(arrays)
    return f"TensorFlow (ferroflow's encoder: {why})"


# -- the workload: the same code under either framework


def build(tf, name: str, data: str, fmt: str):
    """Pipeline ``name`` over the files in ``data``: (dataset, None), or (None, why it is skipped)."""
    autotune = tf.data.AUTOTUNE
    if name == "a":
        features = {
            "image": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }

        def parse(record):
            example = tf.io.parse_single_example(record, features)
            image = tf.reshape(tf.io.decode_raw(example["image"], tf.uint8), [28, 28])
            return tf.cast(image, tf.float32) / 255.0, example["label"]

        files = sorted(str(p) for p in Path(data).glob("*.tfrecord"))
        ds = tf.data.TFRecordDataset(files).repeat().map(parse, num_parallel_calls=autotune)
        return ds.shuffle(10000).batch(256).prefetch(autotune), None
    if name == "b":
        x, y = mnist_train()
        ds = tf.data.Dataset.from_tensor_slices((x, y)).repeat()
        ds = ds.map(lambda image, label: (tf.cast(image, tf.float32) / 255.0, label), num_parallel_calls=autotune)
        return ds.shuffle(10000).batch(32).prefetch(autotune), None
    decode = getattr(tf.io, f"decode_{fmt}", None)
    if decode is None:
        return None, f"tf.io.decode_{fmt} is missing"

    def load(path):
        image = decode(tf.io.read_file(path), channels=3)  # shape (None, None, 3): known when it runs
        return tf.image.random_flip_left_right(tf.image.resize(image, RESIZE))

    files = tf.data.Dataset.list_files(os.path.join(data, f"*.{fmt}"), shuffle=False)
    return files.repeat().map(load, num_parallel_calls=autotune).batch(32).prefetch(autotune), None


def elements_per_second(ds, warm: int, count: int, repeats: int) -> float:
    """Iterates ``warm`` elements, then times ``count`` elements ``repeats`` times; the best rate."""
    it, pairs = iter(ds), isinstance(ds.element_spec, tuple)

    def take(n: int) -> int:
        done = 0
        while done < n:
            done += int(next(it)[0].shape[0]) if pairs else int(next(it).shape[0])
        return done  # whole batches: up to a batch over n

    take(warm)
    best = 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        done = take(count)
        best = max(best, done / (time.perf_counter() - t0))
    return best


def workload(framework: str, data: str, only: list, quick: bool, repeats: int, fmt: str) -> dict:
    if framework == "ferroflow":
        import ferroflow as tf
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
    out = {"version": tf.__version__}
    for name in only:
        try:
            ds, skipped = build(tf, name, data, fmt)
            warm, count = (QUICK if quick else COUNTS)[name]
            out[name] = f"skipped: {skipped}" if skipped else elements_per_second(ds, warm, count, repeats)
        except Exception as e:  # a pipeline one framework cannot run yet is reported, not fatal
            out[name] = f"failed: {type(e).__name__}: {str(e)[:200]}"
    return out


# -- the driver


def run_workload(python: str, args: list) -> dict:
    proc = subprocess.run([python, __file__, *args], capture_output=True, text=True, cwd=HERE)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.stderr.write(f"[{python}] failed:\n{proc.stderr[-2000:]}\n")
        return {}
    return json.loads(line[len("RESULT ") :])


def show(v) -> str:
    return f"{v:,.0f}" if isinstance(v, float) else "n/a" if v is None else v


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--only", default="a,b,c", help="pipelines to run, comma-separated (of a, b, c)")
    p.add_argument("--quick", action="store_true", help="a tiny smoke run")
    p.add_argument("--repeats", type=int, default=2, help="timed windows per pipeline; the fastest counts")
    p.add_argument("--image-format", choices=["png", "jpeg"], default="png")
    p.add_argument("--workload", choices=["ferroflow", "tensorflow"], help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    a = p.parse_args()
    only = [s.strip() for s in a.only.split(",") if s.strip()]
    if any(s not in PIPELINES for s in only):
        p.error(f"--only takes pipelines among {', '.join(PIPELINES)}")
    if a.workload:
        print("RESULT " + json.dumps(workload(a.workload, a.data, only, a.quick, a.repeats, a.image_format)))
        return
    os.environ["FERROFLOW_DATASETS"] = str(datasets_dir().resolve())  # the workloads run from this folder
    with tempfile.TemporaryDirectory() as data:
        x, y = mnist_train()
        notes = []
        if "a" in only:
            import ferroflow

            t0 = time.perf_counter()
            write_tfrecords(ferroflow, x, y, data)
            notes.append(f"(a) wrote {len(x)} Examples with ferroflow in {time.perf_counter() - t0:.1f} s")
        if "c" in only:
            writer = write_images(x, data, a.image_format, a.peers_python)
            notes.append(f"(c) wrote {IMAGES} {IMAGE_SIDE}x{IMAGE_SIDE} RGB {a.image_format} files with {writer}")
        common = ["--data", data, "--only", ",".join(only), "--repeats", str(a.repeats), "--image-format"]
        common += [a.image_format] + (["--quick"] if a.quick else [])
        ff = run_workload(sys.executable, ["--workload", "ferroflow", *common])
        peer = run_workload(a.peers_python, ["--workload", "tensorflow", *common])
    print("\n".join(notes))
    counts = QUICK if a.quick else COUNTS
    versions = f"ferroflow {ff.get('version', '?')}, TensorFlow {peer.get('version', '?')}"
    print(f"elements per second, best of {a.repeats} windows; {versions}; {os.cpu_count()} cores")
    print("| pipeline | elements timed | ferroflow el/s | tf.data el/s | ferroflow / tf.data |\n|---|---|---|---|---|")
    for name in only:
        f, t = ff.get(name), peer.get(name)
        ratio = f"{f / t:.2f}x" if isinstance(f, float) and isinstance(t, float) else "n/a"
        print(f"| ({name}) {PIPELINES[name]} | {counts[name][1]:,} | {show(f)} | {show(t)} | {ratio} |")


if __name__ == "__main__":
    main()
