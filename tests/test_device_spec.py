"""``tf.DeviceSpec``: parsing, writing, merging and replacing device names as TensorFlow 2.21 does (the expected
strings and parts below are TensorFlow's), and ``tf.device`` given a spec."""

import pytest

import ferroflow as tf

FULL = "/job:worker/replica:0/task:1/device:GPU:3"


@pytest.mark.parametrize(
    ("text", "parts", "written"),
    [
        ("/job:worker/replica:0/task:1/device:GPU:3", ("worker", 0, 1, "GPU", 3), FULL),
        ("/cpu:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
        ("/GPU:1", (None, None, None, "GPU", 1), "/device:GPU:1"),
        ("gpu:*", (None, None, None, "GPU", None), "/device:GPU:*"),
        ("/job:a", ("a", None, None, None, None), "/job:a"),
        ("", (None, None, None, None, None), ""),
        ("/device:CPU:*", (None, None, None, "CPU", None), "/device:CPU:*"),
        ("CPU:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
    ],
)
def test_from_string_gives_tensorflows_parts_and_string(text, parts, written):
    spec = tf.DeviceSpec.from_string(text)
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == parts
    assert spec.to_string() == written


def test_construct_merge_replace_and_compare():
    spec = tf.DeviceSpec(job="ps", task=1, device_type="CPU", device_index=0)
    assert spec.to_string() == "/job:ps/task:1/device:CPU:0"
    assert repr(spec) == "<DeviceSpec(job=ps, replica=None, task=1, device_type=CPU, device_index=0)>"
    assert spec.replace(job="w").to_string() == "/job:w/task:1/device:CPU:0"
    assert spec.make_merged_spec(tf.DeviceSpec(device_type="GPU")).to_string() == "/job:ps/task:1/device:GPU:0"
    same = tf.DeviceSpec.from_string("/job:ps/task:1/device:CPU:0")
    assert spec == same and hash(spec) == hash(same) and spec != spec.replace(task=2)
    assert tf.DeviceSpec(device_type="gpu", device_index=1).to_string() == "/device:GPU:1"
    with pytest.raises(TypeError, match="unexpected keyword"):
        spec.replace(host="x")


def test_unknown_parts_are_value_errors():
    with pytest.raises(ValueError, match="Unknown attribute 'foo' is encountered while parsing the device spec"):
        tf.DeviceSpec.from_string("/foo:bar")


def test_tf_device_accepts_a_spec():
    with tf.device(tf.DeviceSpec(device_type="CPU", device_index=0)):
        x = tf.constant(1.0)
    assert x.device == "/job:localhost/replica:0/task:0/device:CPU:0"
