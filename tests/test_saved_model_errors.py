"""A damaged or tampered SavedModel directory, wrong inputs to a signature, an op the loader does not know:
clear ``tf.errors`` (never a crash), and nothing from the directory is run (JSON and ``.npy`` only, no pickle)."""

import json

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.saved_model._format import sha256_of


class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.ones((3, 2), np.float32), name="w")

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def __call__(self, x):
        return tf.nn.relu(tf.matmul(x, self.w))


@pytest.fixture()
def saved(tmp_path):
    path = tmp_path / "affine"
    tf.saved_model.save(Affine(), path)
    return path


def _manifest(path):
    return json.loads((path / "saved_model.json").read_text())


def _resign(path, manifest=None):
    """Rewrites the manifest with checksums of the files as they are now: a tamperer who knows the format."""
    manifest = manifest or _manifest(path)
    manifest["files"] = {rel: sha256_of(str(path / rel)) for rel in manifest["files"]}
    (path / "saved_model.json").write_text(json.dumps(manifest))


def _edit_graph(path, edit):
    doc = json.loads((path / "graph.json").read_text())
    edit(doc)
    (path / "graph.json").write_text(json.dumps(doc))
    _resign(path)


def test_signature_rejects_wrong_dtype_shape_and_names(saved):
    serve = tf.saved_model.load(saved).signatures["serving_default"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float32 tensor but is a int32"):
        serve(x=tf.ones((1, 3), tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float32 tensor but is a float64"):
        serve(x=np.ones((1, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must have shape \(None, 3\), received shape \(1, 4\)"):
        serve(x=np.ones((1, 4), np.float32))
    with pytest.raises(TypeError, match="missing required arguments: x"):
        serve()
    with pytest.raises(TypeError, match="unexpected keyword argument 'y'"):
        serve(x=np.ones((1, 3), np.float32), y=1)
    assert serve(x=[[1.0, 2.0, 3.0]])["output_0"].numpy().tolist() == [[6.0, 6.0]]  # lists take the spec's dtype


def test_missing_directory_and_files(saved, tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="SavedModel file does not exist"):
        tf.saved_model.load(tmp_path / "nowhere")
    with pytest.raises(OSError):
        tf.saved_model.load(tmp_path)  # a directory without a SavedModel
    (saved / "weights" / "w.npy").unlink()
    with pytest.raises(tf.errors.NotFoundError, match="weights/w.npy does not exist"):
        tf.saved_model.load(saved)


def test_truncated_or_changed_files_fail_their_checksum(saved):
    weight = saved / "weights" / "w.npy"
    weight.write_bytes(weight.read_bytes()[:-4])
    with pytest.raises(tf.errors.DataLossError, match="does not match its checksum"):
        tf.saved_model.load(saved)


def test_truncated_manifest(saved):
    text = (saved / "saved_model.json").read_text()
    (saved / "saved_model.json").write_text(text[: len(text) // 2])
    with pytest.raises(tf.errors.DataLossError, match="not valid JSON"):
        tf.saved_model.load(saved)


def test_newer_format_version_is_refused(saved):
    manifest = _manifest(saved)
    manifest["version"] = 99
    (saved / "saved_model.json").write_text(json.dumps(manifest))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="format version 99; this ferroflow reads SavedModel versions 1 to 2"
    ):
        tf.saved_model.load(saved)


def test_unknown_op_is_named(saved):
    def edit(doc):
        node = next(n for n in doc["nodes"] if n["op"] == "relu")
        node["op"] = "launch_missiles"

    _edit_graph(saved, edit)
    with pytest.raises(tf.errors.NotFoundError, match="Op type not registered 'launch_missiles'"):
        tf.saved_model.load(saved)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["nodes"][-1].update(inputs=[len(d["nodes"])]), "earlier nodes"),
        (lambda d: d["nodes"][-1].update(shape=[None, 7]), "declares float32 \\(None, 7\\)"),
        (lambda d: d["nodes"][-1].update(dtype="complex512"), "unknown dtype"),
        (lambda d: d["outputs"][0].update(node=999), "refers to node 999"),
        (lambda d: d["inputs"][0].update(node=len(d["nodes"]) - 1), "not a placeholder"),
        (lambda d: d.update(nodes="many"), "'nodes' must be a list"),
        (lambda d: d.update(version=2), "graph version 2"),
    ],
)
def test_malformed_graphs(saved, edit, message):
    _edit_graph(saved, edit)
    with pytest.raises((tf.errors.DataLossError, tf.errors.InvalidArgumentError), match=message):
        tf.saved_model.load(saved)


def test_weight_names_cannot_leave_the_directory(saved):
    def edit(doc):
        const = next(n for n in doc["nodes"] if n["op"] == "const")
        const["attrs"]["weight"] = "../../etc/passwd"

    _edit_graph(saved, edit)
    with pytest.raises(tf.errors.DataLossError, match="bad weight name"):
        tf.saved_model.load(saved)
    manifest = _manifest(saved)
    manifest["files"]["../outside.npy"] = "0" * 64
    (saved / "saved_model.json").write_text(json.dumps(manifest))
    with pytest.raises(tf.errors.DataLossError, match="outside the SavedModel"):
        tf.saved_model.load(saved)


def test_weight_of_the_wrong_shape_or_a_pickle(saved):
    np.save(saved / "weights" / "w.npy", np.ones((2, 2), np.float32))
    _resign(saved)
    with pytest.raises(tf.errors.DataLossError, match=r"shape \(2, 2\), but the SavedModel declares \(3, 2\)"):
        tf.saved_model.load(saved)
    # An object array needs pickle to load: refused, so no code in the file can run.
    np.save(saved / "weights" / "w.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    _resign(saved)
    with pytest.raises(tf.errors.DataLossError, match="not a readable .npy file"):
        tf.saved_model.load(saved)


def test_unlisted_files_and_bad_paths_in_the_manifest(saved):
    manifest = _manifest(saved)
    manifest["signatures"]["other"] = "signatures/other.json"
    (saved / "signatures").mkdir()
    (saved / "signatures" / "other.json").write_text((saved / "graph.json").read_text())
    (saved / "saved_model.json").write_text(json.dumps(manifest))
    with pytest.raises(tf.errors.DataLossError, match="which its file list does not hold"):
        tf.saved_model.load(saved)
    manifest["signatures"]["other"] = "/etc/passwd"
    (saved / "saved_model.json").write_text(json.dumps(manifest))
    with pytest.raises(tf.errors.DataLossError, match="bad graph file name"):
        tf.saved_model.load(saved)


def test_tags_must_match(saved):
    assert tf.saved_model.load(saved, tags=["serve"]) is not None
    with pytest.raises(RuntimeError, match="could not be found in SavedModel"):
        tf.saved_model.load(saved, tags="train")


def test_unsaveable_functions_say_why(tmp_path):
    class Noisy(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([3])])
        def __call__(self, x):
            return x + tf.random.uniform((3,))

    with pytest.raises(ValueError, match=r"Cannot save signature 'serving_default'.*'random_uniform'"):
        tf.saved_model.save(Noisy(), tmp_path / "noisy")
    assert not (tmp_path / "noisy").exists()
    with pytest.raises(TypeError, match="SaveOptions"):
        tf.saved_model.save(tf.Module(), tmp_path / "m", options={"x": 1})


def test_string_constants_are_refused_clearly(tmp_path):
    class Labels(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def __call__(self, x):
            return {"labels": tf.constant(["a", "b"]), "x": x}

    with pytest.raises(ValueError, match="string tensors .* cannot be saved yet"):
        tf.saved_model.save(Labels(), tmp_path / "labels")
    assert not (tmp_path / "labels").exists()
