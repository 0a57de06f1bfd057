"""``ferroflow-saved-model`` (``python -m ferroflow.saved_model_cli``): ``show`` and ``run`` in
``saved_model_cli``'s output shape, run as a subprocess; ``--input_exprs`` read without ``eval``."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.saved_model._input_exprs import UnsafeExpression, evaluate

REPO_ROOT = Path(__file__).resolve().parents[1]


class Scorer(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="w")
        self.b = tf.Variable([0.5, -0.5], name="b")

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def predict(self, x):
        return tf.matmul(x, self.w) + self.b

    @tf.function
    def scale(self, x, factor=2.0):
        return x * factor


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    module = Scorer()
    module.scale(tf.ones((2,)))
    path = tmp_path_factory.mktemp("cli") / "scorer"
    tf.saved_model.save(module, path)
    return path


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "ferroflow.saved_model_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


SIGNATURE_BLOCK = """\
The given SavedModel SignatureDef contains the following input(s):
  inputs['x'] tensor_info:
      dtype: DT_FLOAT
      shape: (-1, 3)
      name: x:0
The given SavedModel SignatureDef contains the following output(s):
  outputs['output_0'] tensor_info:
      dtype: DT_FLOAT
      shape: (-1, 2)
      name: add:0
Method name is: tensorflow/serving/predict
"""


def test_show_levels(saved):
    proc = cli("show", "--dir", saved)
    assert proc.returncode == 0 and proc.stdout == "The given SavedModel contains the following tag-sets:\n'serve'\n"
    proc = cli("show", "--dir", saved, "--tag_set", "serve")
    assert proc.stdout == (
        "The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:\n"
        'SignatureDef key: "serving_default"\n'
    )
    proc = cli("show", "--dir", saved, "--tag_set", "serve", "--signature_def", "serving_default")
    assert proc.returncode == 0 and proc.stdout == SIGNATURE_BLOCK


def test_show_all(saved):
    proc = cli("show", "--dir", saved, "--all")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("\nMetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:\n\n")
    assert "signature_def['serving_default']:\n  The given SavedModel SignatureDef" in out
    assert "    inputs['x'] tensor_info:\n        dtype: DT_FLOAT\n        shape: (-1, 3)\n" in out
    assert "contains the following ops: {'add', 'const', 'matmul', 'mul', 'placeholder'}" in out
    assert out.endswith(
        "\nConcrete Functions:\n"
        "  Function Name: 'predict'\n"
        "    Option #1\n"
        "      Callable with:\n"
        "        Argument #1\n"
        "          x: TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')\n"
        "\n"
        "  Function Name: 'scale'\n"
        "    Option #1\n"
        "      Callable with:\n"
        "        Argument #1\n"
        "          x: TensorSpec(shape=(2,), dtype=tf.float32, name='x')\n"
    )


def test_run_with_input_exprs_and_files(saved, tmp_path):
    proc = cli("run", "--dir", saved, "--signature_def", "serving_default", "--input_exprs", "x=np.ones((2, 3))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Result for output key output_0:\n[[ 9.5 11.5]\n [ 9.5 11.5]]\n"
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.save(tmp_path / "x.npy", x)
    np.savez(tmp_path / "xs.npz", first=x, second=x * 2)
    want = x @ np.array([[1, 2], [3, 4], [5, 6]], np.float32) + np.array([0.5, -0.5], np.float32)
    for spec, factor in (("x.npy", 1), ("xs.npz[second]", 2)):
        out = tmp_path / f"out_{factor}"
        proc = cli(
            "run",
            "--dir",
            saved,
            "--tag_set",
            "serve",
            "--signature_def",
            "serving_default",
            "--inputs",
            f"x={tmp_path / spec}",
            "--outdir",
            out,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == f"Output output_0 is saved to {out / 'output_0.npy'}\n"
        expected = (x * factor) @ np.array([[1, 2], [3, 4], [5, 6]], np.float32) + np.array([0.5, -0.5], np.float32)
        np.testing.assert_array_equal(np.load(out / "output_0.npy"), expected)
    # The outputs equal the Python signature's.
    loaded = tf.saved_model.load(saved)
    np.testing.assert_array_equal(loaded.signatures["serving_default"](x=x)["output_0"].numpy(), want)
    proc = cli(
        "run",
        "--dir",
        saved,
        "--signature_def",
        "serving_default",
        "--inputs",
        f"x={tmp_path / 'x.npy'}",
        "--outdir",
        tmp_path / "out_1",
    )
    assert proc.returncode == 1 and 'already exists. Add "--overwrite"' in proc.stderr
    proc = cli(
        "run",
        "--dir",
        saved,
        "--signature_def",
        "serving_default",
        "--inputs",
        f"x={tmp_path / 'x.npy'}",
        "--outdir",
        tmp_path / "out_1",
        "--overwrite",
    )
    assert proc.returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--signature_def", "serving_default", "--inputs", "y=x.npy"], '"y" is not a valid input key'),
        (["run", "--signature_def", "nope", "--input_exprs", "x=[[1,2,3]]"], 'Could not find signature "nope"'),
        (["run", "--signature_def", "serving_default", "--input_exprs", "x=np.ones((1, 4))"], "must have shape"),
        (["run", "--signature_def", "serving_default", "--input_exprs", "x=np.ones((1,3), dtype=np.int32)"], ""),
        (
            ["run", "--signature_def", "serving_default", "--input_exprs", "x=__import__('os').getcwd()"],
            "only NumPy constructors",
        ),
        (["run", "--signature_def", "serving_default", "--inputs", "x=missing.npy"], "does not exist"),
        (["show", "--tag_set", "train"], "could not be found"),
    ],
)
def test_errors_are_one_line(saved, tmp_path, args, message):
    proc = cli(args[0], "--dir", saved, *args[1:], cwd=tmp_path)
    if args[-1].endswith("dtype=np.int32)"):
        # int32 feeds a float32 input as a session feed would: converted, not refused.
        assert proc.returncode == 0 and "[[ 9.5 11.5]]" in proc.stdout
        return
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and message in proc.stderr and "Traceback" not in proc.stderr


def test_damaged_directory_is_reported(saved, tmp_path):
    proc = cli("show", "--dir", tmp_path / "nowhere")
    assert proc.returncode == 1 and "SavedModel file does not exist" in proc.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "saved_model.json").write_text('{"format": "ferroflow-saved')
    proc = cli("show", "--dir", bad, "--all")
    assert proc.returncode == 1 and "not valid JSON" in proc.stderr and "Traceback" not in proc.stderr


def test_console_script_is_declared():
    text = (REPO_ROOT / "pyproject.toml").read_text()
    section = text.split("[project.scripts]\n", 1)[1].split("\n[", 1)[0]
    assert 'ferroflow-saved-model = "ferroflow.saved_model_cli:main"' in section.splitlines()


def test_input_exprs_accepts_numpy_constructors_only():
    np.testing.assert_array_equal(evaluate("np.ones((2, 3), dtype=np.float32)"), np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(evaluate("[[1, 2], [3, -4]]"), [[1, 2], [3, -4]])
    np.testing.assert_array_equal(evaluate("np.arange(6) * 2"), np.arange(6) * 2)
    assert evaluate("np.random.rand(1, 4)").shape == (1, 4)
    assert evaluate("numpy.full((2,), 0.5) - 1").tolist() == [-0.5, -0.5]
    for expr in (
        "__import__('os').system('true')",
        "np.load('x.npy', allow_pickle=True)",
        "np.ones.__globals__",
        "open('/etc/passwd')",
        "[x for x in range(3)]",
        "(lambda: 1)()",
        "np.ones((100000, 100000))",
        "np.zeros(10**10)",
        "[0] * 100000000",
        "np.ones(3)[0]",
        "np.ones(3,",
    ):
        with pytest.raises(UnsafeExpression):
            evaluate(expr)
