"""Trains from TFRecord files several times larger than the process's memory: one epoch of ``fit`` streamed
through tf.data, with the peak resident memory reported beside the size of the data.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/out_of_memory_fit.py [--gigabytes 6]
       [--directory DIR] [--keep]

The MNIST training set is written once as serialized tf.train.Example records (one shard, by
tf.io.TFRecordWriter); the other shards are byte copies of it (a TFRecord file is a sequence of
self-checking records, so a copy is as valid as a freshly written one), until the files hold ``--gigabytes``
of records. The hello-world model (Flatten, Dense 128 relu, Dropout, Dense 10) then trains one epoch from
TFRecordDataset -> map(parse_single_example + decode_raw + normalize, AUTOTUNE) -> shuffle(10000) ->
batch(256) -> prefetch. The last line is ``RESULT {json}``: bytes of records, peak RSS of the whole
process, how much the RSS grew while training, the data-to-peak ratio, the seconds and examples per second.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import ferroflow as tf

FEATURES = {
    "image": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
}


def rss_bytes() -> int:
    """The resident memory now (Linux: the second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    """This process's peak resident memory (VmHWM). Not ``getrusage``'s ``ru_maxrss``: Linux carries that over
    an exec from the process that forked it, so under a large parent (a test runner) it reports the parent's."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    raise RuntimeError("/proc/self/status has no VmHWM line")


def write_shards(directory: str, target_bytes: int) -> tuple:
    """Writes MNIST's training set as one shard of Examples and copies it until ``target_bytes`` are on disk;
    returns (paths, examples per shard)."""
    (x, y), _ = tf.keras.datasets.mnist.load_data()
    first = os.path.join(directory, "mnist-00000.tfrecord")
    with tf.io.TFRecordWriter(first) as writer:
        for image, label in zip(x, y):
            feature = {
                "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[image.tobytes()])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
            }
            writer.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())
    shard_bytes = os.path.getsize(first)
    paths = [first]
    while len(paths) * shard_bytes < target_bytes:
        paths.append(os.path.join(directory, f"mnist-{len(paths):05d}.tfrecord"))
        shutil.copyfile(first, paths[-1])
    return paths, len(x)


def parse(record):
    example = tf.io.parse_single_example(record, FEATURES)
    image = tf.reshape(tf.io.decode_raw(example["image"], tf.uint8), [28, 28])
    return tf.cast(image, tf.float32) / 255.0, example["label"]


def train_one_epoch(paths: list, examples: int, batch_size: int) -> dict:
    ds = tf.data.TFRecordDataset(paths).map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.shuffle(10000, seed=0).batch(batch_size).prefetch(tf.data.AUTOTUNE)
    model = tf.keras.models.Sequential(
        [
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10),
        ]
    )
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    before = rss_bytes()
    start = time.perf_counter()
    history = model.fit(ds, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    return {
        "rss_before_fit": before,
        "seconds": seconds,
        "examples_per_second": examples / seconds,
        "accuracy": float(history.history["accuracy"][-1]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=6.0, help="size of the records to write and stream")
    parser.add_argument("--directory", default=None, help="where to write them (a temporary directory by default)")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--keep", action="store_true", help="leave the files in --directory")
    args = parser.parse_args()
    directory = args.directory or tempfile.mkdtemp(prefix="ferroflow-oom-")
    os.makedirs(directory, exist_ok=True)
    try:
        start = time.perf_counter()
        paths, per_shard = write_shards(directory, int(args.gigabytes * 1e9))
        data_bytes = sum(os.path.getsize(p) for p in paths)
        examples = per_shard * len(paths)
        print(f"wrote {examples:,} examples ({data_bytes / 1e9:.2f} GB) in {time.perf_counter() - start:.1f} s")
        result = train_one_epoch(paths, examples, args.batch_size)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    peak = peak_rss_bytes()
    result.update(
        data_bytes=data_bytes,
        examples=examples,
        peak_rss=peak,
        rss_growth_during_fit=max(0, peak - result["rss_before_fit"]),
        data_over_peak_rss=data_bytes / peak,
    )
    print(
        f"one epoch over {data_bytes / 1e9:.2f} GB in {result['seconds']:.1f} s "
        f"({result['examples_per_second']:,.0f} examples/s), accuracy {result['accuracy']:.4f}; "
        f"peak RSS {peak / 1e6:.0f} MB (grew {result['rss_growth_during_fit'] / 1e6:.0f} MB during fit): "
        f"the data is {result['data_over_peak_rss']:.1f}x the peak"
    )
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
