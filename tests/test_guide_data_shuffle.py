"""The behaviour behind the tf.data guide's random cells (their values are masked in ``test_guide_data.py``):
ferroflow's shuffle order is not TensorFlow's, so what the guide shows is checked instead: the same multiset
of elements, a new order each epoch, seeds repeatable, the buffer bounding how far an element moves, the epoch
boundary kept by shuffle-then-repeat and mixed by repeat-then-shuffle, list_files and make_csv_dataset giving
the files' own names and rows."""

from __future__ import annotations

import glob
import os

import numpy as np

import ferroflow as tf
from guide_data_files import make_files, titanic_rows

N_LINES = len(titanic_rows())  # header included, as TextLineDataset reads it


def _titanic(tmp_path) -> tf.data.Dataset:
    path = tmp_path / "train.csv"
    path.write_text("\n".join(titanic_rows()) + "\n")
    return tf.data.Dataset.zip((tf.data.experimental.Counter(), tf.data.TextLineDataset(str(path))))


def _ids(ds) -> list:
    return [int(v) for n, _ in ds for v in np.ravel(n.numpy())]


def test_first_batch_stays_within_buffer(tmp_path) -> None:
    n, _ = next(iter(_titanic(tmp_path).shuffle(buffer_size=100).batch(20)))
    assert n.shape == (20,) and n.numpy().max() < 120 and len(set(n.numpy())) == 20


def test_shuffle_then_repeat_keeps_epochs_apart(tmp_path) -> None:
    ids = _ids(_titanic(tmp_path).shuffle(buffer_size=100).batch(10).repeat(2))
    first, second = ids[:N_LINES], ids[N_LINES:]
    assert sorted(first) == sorted(second) == list(range(N_LINES))
    assert first != second  # reshuffled each epoch


def test_repeat_then_shuffle_mixes_the_boundary(tmp_path) -> None:
    ids = _ids(_titanic(tmp_path).repeat(2).shuffle(buffer_size=100).batch(10))
    assert sorted(ids) == sorted(list(range(N_LINES)) * 2)
    # second-epoch ids (small) show up before the first epoch's last ids (large) are all out
    last_of_first = max(i for i, v in enumerate(ids[: N_LINES + 100]) if v >= N_LINES - 20)
    assert any(v < 50 for v in ids[N_LINES - 100 : last_of_first])


def test_seeded_shuffle_repeats(tmp_path) -> None:
    ds = _titanic(tmp_path)
    a = _ids(ds.shuffle(100, seed=5, reshuffle_each_iteration=False).batch(10))
    b = _ids(ds.shuffle(100, seed=5, reshuffle_each_iteration=False).batch(10))
    assert a == b and a != list(range(N_LINES))


def test_list_files_and_csv_rows(tmp_path) -> None:
    files = make_files(tf, tmp_path, "")
    pattern = os.path.join(files["flower_photos"], "*", "*")
    names = [f.numpy().decode() for f in tf.data.Dataset.list_files(pattern)]
    assert sorted(names) == sorted(glob.glob(pattern)) and len(names) == 6
    ordered = [f.numpy().decode() for f in tf.data.Dataset.list_files(pattern, shuffle=False)]
    assert ordered == sorted(glob.glob(pattern))
    batches = tf.data.experimental.make_csv_dataset(files["titanic_csv"], batch_size=4, label_name="survived")
    rows = set(titanic_rows()[1:])
    for features, label in batches.take(3):
        for k in range(4):
            row = [str(int(label[k])), features["sex"][k].numpy().decode(), repr(float(features["age"][k]))]
            assert any(r.startswith(",".join(row) + ",") for r in rows)
