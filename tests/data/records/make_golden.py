"""Writes the TensorFlow-made golden files the record tests compare against (run once, with TensorFlow).

python tests/data/records/make_golden.py   # in an environment with tensorflow installed
"""

import json
import os

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))


def examples():
    out = []
    for i in range(3):
        feature = {
            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, -i - 1, 2**40])),
            "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[bytes(range(i, i + 6)), b""])),
            "score": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i, -1.25, 0.1])),
        }
        out.append(tf.train.Example(features=tf.train.Features(feature=feature)))
    out.append(tf.train.Example(features=tf.train.Features(feature={"empty": tf.train.Feature()})))
    out.append(tf.train.Example())
    return out


def sequence_example():
    ints = [tf.train.Feature(int64_list=tf.train.Int64List(value=v)) for v in ([1, 2], [3, 4], [5, 6])]
    words = [tf.train.Feature(bytes_list=tf.train.BytesList(value=v)) for v in ([b"a"], [], [b"b", b"c"])]
    return tf.train.SequenceExample(
        context=tf.train.Features(feature={"id": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"s1"]))}),
        feature_lists=tf.train.FeatureLists(
            feature_list={"pairs": tf.train.FeatureList(feature=ints), "words": tf.train.FeatureList(feature=words)}
        ),
    )


def main():
    records = [e.SerializeToString(deterministic=True) for e in examples()] + [b"", b"plain bytes \x00\xff"]
    for name, compression in (("plain", None), ("gzip", "GZIP"), ("zlib", "ZLIB")):
        with tf.io.TFRecordWriter(os.path.join(HERE, f"{name}.tfrecord"), options=compression) as w:
            for r in records:
                w.write(r)
    tensors = {
        "f32": tf.constant([[1.5, -2.0], [0.0, 3.25]]),
        "i64": tf.constant([1, -2, 3], tf.int64),
        "str": tf.constant([b"a", b"", b"xyz"]),
        "bool": tf.constant([True, False]),
        "u8": tf.constant(np.arange(5, dtype=np.uint8)),
        "scalar": tf.constant(7, tf.int32),
        "empty": tf.zeros([0, 3]),
    }
    golden = {
        "records": [r.hex() for r in records],
        "example_text": str(examples()[0]),
        "tensors": {k: tf.io.serialize_tensor(v).numpy().hex() for k, v in tensors.items()},
        "parsed": {
            k: v.numpy().tolist()
            for k, v in tf.io.parse_example(
                tf.constant(records[:3]),
                {"label": tf.io.FixedLenFeature([3], tf.int64), "score": tf.io.FixedLenFeature([3], tf.float32)},
            ).items()
        },
    }
    seq = sequence_example().SerializeToString(deterministic=True)
    context, lists = tf.io.parse_single_sequence_example(
        seq,
        context_features={"id": tf.io.FixedLenFeature([], tf.string)},
        sequence_features={
            "pairs": tf.io.FixedLenSequenceFeature([2], tf.int64),
            "words": tf.io.VarLenFeature(tf.string),
        },
    )
    golden["sequence_example"] = seq.hex()
    golden["sequence_parsed"] = {
        "id": context["id"].numpy().hex(),
        "pairs": lists["pairs"].numpy().tolist(),
        "words_indices": lists["words"].indices.numpy().tolist(),
        "words_shape": lists["words"].dense_shape.numpy().tolist(),
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    with open(os.path.join(HERE, "lines.txt"), "wb") as f:
        f.write(b'first,1,2.5\r\nsecond,,\n\nlast "q",3,4')
    lines = [t.numpy().hex() for t in tf.data.TextLineDataset(os.path.join(HERE, "lines.txt"))]
    with open(os.path.join(HERE, "lines.json"), "w") as f:
        json.dump(lines, f)


if __name__ == "__main__":
    main()
