"""keras.utils.text_dataset_from_directory: class subdirectories, label modes, class_names, max_length,
validation splits, shuffling with a seed, streaming reads and Keras's errors (values as Keras gives them)."""

import os
import re

import numpy as np
import pytest

import ferroflow as tf

f = tf.keras.utils.text_dataset_from_directory


@pytest.fixture
def root(tmp_path):
    """a/ (3 files), b/ (one file and one in a nested folder, upper-case extension), c/ (1), a hidden folder,
    a non-.txt file and a top-level file that only label-free / explicit-label listings see."""
    files = {
        "a/a1.txt": "a text 1\n",
        "a/a2.txt": "a text 2\n",
        "a/a3.txt": "a text 3\n",
        "b/b1.txt": "b one\n",
        "b/sub/b2.TXT": "b two longer text\n",
        "b/b3.md": "skip\n",
        "c/c1.txt": "c\n",
        ".hidden/h.txt": "h\n",
        "top.txt": "top\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path)


def elements(ds):
    return [tuple(v.tolist() if isinstance(v, np.ndarray) else v for v in el) for el in ds.as_numpy_iterator()]


def test_inferred_int_labels_unbatched(root, capsys):
    ds = f(root, shuffle=False, batch_size=None)
    assert capsys.readouterr().out == "Found 6 files belonging to 3 classes.\n"
    assert ds.class_names == ["a", "b", "c"]
    assert ds.element_spec == (tf.TensorSpec([], tf.string), tf.TensorSpec([], tf.int32))
    assert elements(ds) == [
        (b"a text 1\n", 0),
        (b"a text 2\n", 0),
        (b"a text 3\n", 0),
        (b"b one\n", 1),
        (b"b two longer text\n", 1),
        (b"c\n", 2),
    ]


def test_categorical_batches_and_max_length(root):
    ds = f(root, shuffle=False, batch_size=3, label_mode="categorical", max_length=3, verbose=False)
    assert ds.element_spec == (tf.TensorSpec([None], tf.string), tf.TensorSpec([None, 3], tf.float32))
    assert elements(ds) == [
        ([b"a t", b"a t", b"a t"], [[1.0, 0.0, 0.0]] * 3),
        ([b"b o", b"b t", b"c\n"], [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
    ]
    assert int(ds.cardinality()) == 2


def test_class_names_choose_and_order_the_classes_binary_labels(root, capsys):
    ds = f(root, shuffle=False, batch_size=2, class_names=["c", "b"], label_mode="binary")
    assert capsys.readouterr().out == "Found 3 files belonging to 2 classes.\n"
    assert ds.class_names == ["c", "b"]
    assert ds.element_spec[1] == tf.TensorSpec([None, 1], tf.float32)
    assert elements(ds) == [([b"c\n", b"b one\n"], [[0.0], [1.0]]), ([b"b two longer text\n"], [[1.0]])]


def test_no_labels_lists_the_whole_tree(root, capsys):
    ds = f(root, shuffle=False, batch_size=2, labels=None)
    assert capsys.readouterr().out == "Found 8 files.\n"
    assert ds.class_names is None
    assert ds.element_spec == tf.TensorSpec([None], tf.string)
    got = [b.tolist() for b in ds.as_numpy_iterator()]
    assert got == [
        [b"top\n", b"h\n"],
        [b"a text 1\n", b"a text 2\n"],
        [b"a text 3\n", b"b one\n"],
        [b"b two longer text\n", b"c\n"],
    ]
    # label_mode=None also drops the labels
    assert f(root, shuffle=False, label_mode=None, verbose=False).element_spec == tf.TensorSpec([None], tf.string)


def test_explicit_labels_follow_sorted_paths(root):
    ds = f(root, shuffle=False, batch_size=None, labels=[3, 1, 1, 0, 0, 1, 3, 3], verbose=False)
    assert ds.class_names == ["0", "1", "3"]
    assert [label for _, label in elements(ds)] == [3, 1, 1, 0, 0, 1, 3, 3]
    assert [text for text, _ in elements(ds)][:2] == [b"top\n", b"h\n"]


def test_seeded_shuffle_matches_keras_file_order(root):
    # Keras shuffles the file list with np.random.RandomState(seed): the same seed gives the same split.
    train, val = f(root, seed=5, batch_size=10, validation_split=0.4, subset="both", verbose=False)
    assert train.class_names == val.class_names == ["a", "b", "c"]
    assert elements(val) == [([b"a text 1\n", b"b one\n"], [0, 1])]
    ((texts, labels),) = elements(train)
    assert sorted(zip(texts, labels)) == [
        (b"a text 2\n", 0),
        (b"a text 3\n", 0),
        (b"b two longer text\n", 1),
        (b"c\n", 2),
    ]
    # Shuffled without a split: every file once, with its own label, in a repeatable order.
    one = elements(f(root, seed=9, batch_size=None, verbose=False))
    assert sorted(one) == elements(f(root, shuffle=False, batch_size=None, verbose=False))
    assert one == elements(f(root, seed=9, batch_size=None, verbose=False))


def test_training_and_validation_subsets(root, capsys):
    train = f(root, shuffle=False, batch_size=10, validation_split=0.4, subset="training")
    assert capsys.readouterr().out == "Found 6 files belonging to 3 classes.\nUsing 4 files for training.\n"
    assert elements(train) == [([b"a text 1\n", b"a text 2\n", b"a text 3\n", b"b one\n"], [0, 0, 0, 1])]
    val = f(root, shuffle=False, batch_size=10, validation_split=0.4, subset="validation", verbose=False)
    assert capsys.readouterr().out == "Using 2 files for validation.\n"
    assert elements(val) == [([b"b two longer text\n", b"c\n"], [1, 2])]


def test_files_are_read_while_iterating(root):
    ds = f(root, shuffle=False, batch_size=None, class_names=["c"], verbose=False)
    with open(os.path.join(root, "c", "c1.txt"), "w") as out:
        out.write("changed")
    assert elements(ds) == [(b"changed", 0)]


def test_a_file_removed_after_listing_names_itself_in_the_error(root):
    ds = f(root, shuffle=False, batch_size=None, class_names=["c"], verbose=False)
    path = os.path.join(root, "c", "c1.txt")
    os.remove(path)
    with pytest.raises(tf.errors.NotFoundError, match=re.escape(f"failed on element (b'{path}', 0)")):
        list(ds)


def test_follow_links(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "x.txt").write_text("linked\n")
    os.symlink(outside, os.path.join(root, "c", "link"))
    assert len(list(f(root, shuffle=False, batch_size=None, class_names=["c"], verbose=False))) == 1
    ds = f(root, shuffle=False, batch_size=None, class_names=["c"], follow_links=True, verbose=False)
    assert elements(ds) == [(b"c\n", 0), (b"linked\n", 0)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"labels": "x"},
            "`labels` argument should be a list/tuple of integer labels, of the same size as the number of text "
            "files in the target directory. If you wish to infer the labels from the subdirectory names in the "
            'target directory, pass `labels="inferred"`. If you wish to get a dataset that only contains text '
            "samples (no labels), pass `labels=None`. Received: labels=x",
        ),
        (
            {"labels": [1], "class_names": ["a"]},
            "You can only pass `class_names` if `labels=\"inferred\"`. Received: labels=[1], and class_names=['a']",
        ),
        (
            {"label_mode": "sparse"},
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: label_mode=sparse',
        ),
        ({"validation_split": 1.5}, "`validation_split` must be between 0 and 1, received: 1.5"),
        ({"subset": "training"}, "If `subset` is set, `validation_split` must be set, and inversely."),
        (
            {"validation_split": 0.2, "subset": "test"},
            '`subset` must be either "training", "validation" or "both", received: test',
        ),
        (
            {"validation_split": 0.2, "subset": "training"},
            "If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure "
            "that there is no overlap between the training and validation subset.",
        ),
        (
            {"label_mode": "binary"},
            "When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=['a', "
            "'b', 'c']",
        ),
        (
            {"class_names": ["z"]},
            "The `class_names` passed did not match the names of the subdirectories of the target directory. "
            "Expected: ['a', 'b', 'c'] (or a subset of it), but received: class_names=['z']",
        ),
        (
            {"labels": None, "class_names": ["a"]},
            "When `labels=None` (no labels), argument `class_names` cannot be specified.",
        ),
        (
            {"labels": [1, 2]},
            "Expected the lengths of `labels` to match the number of files in the target directory. len(labels) "
            "is 2 while we found 8 files in directory {root}.",
        ),
        ({"validation_split": 0.1, "subset": "training", "seed": 1}, "No text files found in directory {root}."),
        (
            {"validation_split": 0.1, "subset": "both", "seed": 1},
            "No training text files found in directory {root}.",
        ),
    ],
)
def test_argument_errors(root, kwargs, message):
    with pytest.raises(ValueError) as info:
        f(root, verbose=False, **kwargs)
    expected = message.format(root=root)
    if expected.startswith("No "):
        expected += " Allowed format: .txt"
    assert str(info.value) == expected


def test_missing_and_empty_directories(tmp_path):
    with pytest.raises(FileNotFoundError):
        f(str(tmp_path / "missing"))
    (tmp_path / "x").mkdir()
    with pytest.raises(ValueError, match="No text files found in directory"):
        f(str(tmp_path), verbose=False)


def test_namespace():
    assert "text_dataset_from_directory" in dir(tf.keras.utils)
    from ferroflow.utils import text_dataset

    assert dir(text_dataset) == ["text_dataset_from_directory"]
