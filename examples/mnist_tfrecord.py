"""The MNIST hello-world trained from TFRecord files through a tf.data pipeline (tf.keras code, import changed).

    FERROFLOW_DATASETS=../shared/datasets python examples/mnist_tfrecord.py [--epochs 1] [--min-accuracy 0.95]

Writes MNIST to TFRecord files of serialized tf.train.Example (image bytes and an int64 label) in a
temporary directory, then trains Flatten -> Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax) from
TFRecordDataset -> parse_single_example + decode_raw -> normalize -> shuffle -> batch -> prefetch, and
prints the test accuracy. With ``--min-accuracy`` it exits with status 1 when the accuracy falls short.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import ferroflow as tf

FEATURES = {
    "image": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
}


def write_tfrecords(images, labels, path: str, shards: int = 2, compression: str = "") -> list:
    """Writes ``(image, label)`` pairs as Examples to ``shards`` files; returns their paths."""
    paths = [f"{path}-{i:05d}-of-{shards:05d}.tfrecord" for i in range(shards)]
    writers = [tf.io.TFRecordWriter(p, compression) for p in paths]
    for i, (image, label) in enumerate(zip(images, labels)):
        example = tf.train.Example(
            features=tf.train.Features(
                feature={
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[image.tobytes()])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
                }
            )
        )
        writers[i % shards].write(example.SerializeToString())
    for w in writers:
        w.close()
    return paths


def parse(record):
    example = tf.io.parse_single_example(record, FEATURES)
    image = tf.reshape(tf.io.decode_raw(example["image"], tf.uint8), [28, 28])
    return tf.cast(image, tf.float32) / 255.0, example["label"]


def dataset(paths: list, batch_size: int, compression: str, training: bool, seed) -> tf.data.Dataset:
    ds = tf.data.TFRecordDataset(paths, compression_type=compression).map(parse)
    if training:
        ds = ds.shuffle(10000, seed=seed)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--compression", choices=["", "GZIP", "ZLIB"], default="")
    parser.add_argument("--seed", type=int, default=None, help="fix initialization, dropout and shuffling")
    parser.add_argument("--min-accuracy", type=float, default=None, help="fail below this test accuracy")
    args = parser.parse_args()
    if args.seed is not None:
        tf.keras.utils.set_random_seed(args.seed)

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        train_files = write_tfrecords(x_train, y_train, os.path.join(tmp, "train"), compression=args.compression)
        test_files = write_tfrecords(x_test, y_test, os.path.join(tmp, "test"), compression=args.compression)
        size = sum(os.path.getsize(p) for p in train_files + test_files)
        print(
            f"wrote {len(x_train) + len(x_test)} examples ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s"
        )

        train = dataset(train_files, args.batch_size, args.compression, True, args.seed)
        test = dataset(test_files, 1000, args.compression, False, None)
        model = tf.keras.models.Sequential(
            [
                tf.keras.Input(shape=(28, 28)),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(512, activation="relu"),
                tf.keras.layers.Dropout(0.2),
                tf.keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        start = time.perf_counter()
        model.fit(train, epochs=args.epochs)
        seconds = time.perf_counter() - start
        loss, accuracy = model.evaluate(test, verbose=2)
    print(f"test accuracy: {accuracy:.4f}  test loss: {loss:.4f}  ({seconds / max(args.epochs, 1):.2f} s/epoch)")
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        print(f"test accuracy {accuracy:.4f} is below the required {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
