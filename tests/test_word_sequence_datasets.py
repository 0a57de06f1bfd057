"""``keras.datasets.imdb`` and ``keras.datasets.reuters`` on small fake files in Keras's format: the word-index
transformations against Keras 3.15's outputs and a NumPy reimplementation of its documented rules, where files
are looked for, checksum-verified downloads, the offline message, and refusal of code-running pickles."""

import hashlib
import json
import urllib.error

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.datasets import _download, word_sequences

imdb, reuters = tf.keras.datasets.imdb, tf.keras.datasets.reuters

X_TRAIN = [[1, 4, 2, 9], [3, 3, 7], [12, 1, 5, 6, 2, 8], [2], [10, 11, 1, 4, 4], [6, 5]]
Y_TRAIN = [1, 0, 1, 0, 1, 0]
X_TEST = [[4, 1, 2], [9, 9, 9, 12, 3], [7], [5, 8, 11, 10]]
Y_TEST = [0, 1, 1, 0]
RX = [
    [1, 2, 3],
    [4, 5, 6, 7, 8],
    [2, 2],
    [9, 1, 4, 6],
    [3],
    [10, 12, 11, 5, 1, 2],
    [7, 7, 7],
    [8, 3, 1, 2],
    [6],
    [11, 4],
]
RY = [3, 4, 3, 19, 1, 45, 4, 3, 0, 11]

# keras.datasets.<name>.load_data(**kwargs) on the files above, computed with Keras 3.15:
# (x_train, y_train, x_test, y_test)
KERAS = {
    ("imdb", "{}"): [[[1, 6, 6, 10], [1, 4, 7, 5, 12], [1, 5], [1, 2, 4, 8, 9, 5, 11], [1, 13, 14, 4, 7, 7], [1, 9, 8]],
                     [0, 1, 0, 1, 1, 0], [[1, 7, 4, 5], [1, 12, 12, 12, 2, 6], [1, 8, 11, 14, 13], [1, 10]],
                     [0, 1, 0, 1]],
    ("imdb", '{"num_words": 8}'): [[[1, 6, 6, 2], [1, 4, 7, 5, 2], [1, 5], [1, 2, 4, 2, 2, 5, 2], [1, 2, 2, 4, 7, 7],
                                    [1, 2, 2]], [0, 1, 0, 1, 1, 0],
                                   [[1, 7, 4, 5], [1, 2, 2, 2, 2, 6], [1, 2, 2, 2, 2], [1, 2]], [0, 1, 0, 1]],
    ("imdb", '{"num_words": 10, "skip_top": 4, "seed": 7}'): [
        [[2, 5], [2, 9, 8], [2, 4, 7, 5, 2], [2, 2, 4, 8, 9, 5, 2], [2, 6, 6, 2], [2, 2, 2, 4, 7, 7]],
        [0, 0, 1, 1, 0, 1], [[2, 8, 2, 2, 2], [2, 2, 2, 2, 2, 6], [2, 7, 4, 5], [2, 2]], [0, 1, 0, 1]],
    ("imdb", '{"maxlen": 6, "oov_char": null, "num_words": 9}'): [
        [[1, 6, 6], [1, 4, 7, 5], [1, 5], [1, 8]], [0, 1, 0, 0], [[1, 7, 4, 5], [1, 8], [1]], [0, 0, 1]],
    ("imdb", '{"start_char": null, "index_from": 0}'): [
        [[3, 3, 7], [1, 4, 2, 9], [2], [2, 1, 5, 6, 2, 8], [10, 11, 1, 4, 4], [6, 5]], [0, 1, 0, 1, 1, 0],
        [[4, 1, 2], [9, 9, 9, 2, 3], [5, 8, 11, 10], [7]], [0, 1, 0, 1]],
    ("imdb", '{"start_char": null, "index_from": 2, "oov_char": 99, "num_words": 6}'): [
        [[5, 5, 99], [3, 99, 4, 99], [4], [99, 3, 99, 99, 4, 99], [99, 99, 3, 99, 99], [99, 99]], [0, 1, 0, 1, 1, 0],
        [[99, 3, 4], [99, 99, 99, 99, 5], [99, 99, 99, 99], [99]], [0, 1, 0, 1]],
    ("reuters", "{}"): [[[1, 14, 7], [1, 12, 4, 7, 9], [1, 10, 10, 10], [1, 7, 8, 9, 10, 11], [1, 4, 5, 6],
                         [1, 11, 6, 4, 5], [1, 6], [1, 9]], [11, 19, 4, 4, 3, 3, 1, 0],
                        [[1, 5, 5], [1, 13, 2, 14, 8, 4, 5]], [3, 45]],
    ("reuters", '{"num_words": 8, "test_split": 0.3}'): [
        [[1, 2, 7], [1, 2, 4, 7, 2], [1, 2, 2, 2], [1, 7, 2, 2, 2, 2], [1, 4, 5, 6], [1, 2, 6, 4, 5], [1, 6]],
        [11, 19, 4, 4, 3, 3, 1], [[1, 2], [1, 5, 5], [1, 2, 2, 2, 2, 4, 5]], [0, 3, 45]],
    ("reuters", '{"maxlen": 5, "seed": 1, "skip_top": 3}'): [
        [[2, 5, 5], [2, 2, 7], [2, 10, 10, 10], [2, 6]], [3, 11, 4, 1], [[2, 4, 5, 6], [2, 9]], [3, 0]],
}  # fmt: skip


def ragged(lists):
    out = np.empty(len(lists), dtype=object)
    out[:] = [list(x) for x in lists]
    return out


def write_imdb(path, x_train=X_TRAIN, y_train=Y_TRAIN, x_test=X_TEST, y_test=Y_TEST):
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x_train=ragged(x_train), y_train=np.array(y_train), x_test=ragged(x_test), y_test=np.array(y_test))


def write_reuters(path, xs=RX, ys=RY):
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=ragged(xs), y=np.array(ys))


@pytest.fixture
def root(tmp_path, monkeypatch):
    """Empty dataset and Keras cache folders, with the network failing."""
    monkeypatch.setenv("FERROFLOW_DATASETS", str(tmp_path / "datasets"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))

    def offline(url, *args, **kwargs):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(_download, "urlopen", offline)
    return tmp_path


def as_lists(result):
    (a, b), (c, d) = result
    return [[list(map(int, x)) for x in a], b.tolist(), [list(map(int, x)) for x in c], d.tolist()]


@pytest.mark.parametrize("name, kwargs", sorted(KERAS))
def test_outputs_match_keras(root, name, kwargs):
    write_imdb(root / "datasets" / "imdb" / "imdb.npz")
    write_reuters(root / "datasets" / "reuters" / "reuters.npz")
    module = imdb if name == "imdb" else reuters
    assert as_lists(module.load_data(**json.loads(kwargs))) == KERAS[(name, kwargs)]


def keras_rules(splits, seed=113, start_char=1, oov_char=2, index_from=3, num_words=None, skip_top=0, maxlen=None):
    """Keras's documented rules, written again over NumPy arrays: shuffle each split, shift indices and prepend
    start_char, drop sequences of maxlen or more, then map words outside [skip_top, num_words) to oov_char."""
    rng = np.random.RandomState(seed)
    out = []
    for xs, ys in splits:
        order = rng.permutation(len(xs))  # the same draws as shuffling np.arange(len(xs)) in place
        seqs = [np.asarray(xs[i]) + index_from for i in order]
        if start_char is not None:
            seqs = [np.concatenate([[start_char], s]) for s in seqs]
        labels = np.asarray(ys)[order]
        if maxlen:
            keep = np.array([len(s) < maxlen for s in seqs], dtype=bool)
            seqs, labels = [s for s, k in zip(seqs, keep) if k], labels[keep]
        out.append((seqs, labels))
    top = num_words or max(int(s.max()) for seqs, _ in out for s in seqs)
    result = []
    for seqs, labels in out:
        inside = [(s >= skip_top) & (s < top) for s in seqs]
        if oov_char is None:
            seqs = [s[m] for s, m in zip(seqs, inside)]
        else:
            seqs = [np.where(m, s, oov_char) for s, m in zip(seqs, inside)]
        result.append(([s.tolist() for s in seqs], labels.tolist()))
    return result


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_words": 100, "skip_top": 10},
        {"maxlen": 120, "seed": 5},
        {"num_words": 50, "oov_char": None, "start_char": None},
        {"index_from": 0, "start_char": 7, "oov_char": 3, "num_words": 300},
    ],
)
def test_realistic_imdb_against_numpy_rules(root, kwargs):
    rng = np.random.default_rng(6)
    fake = [[rng.integers(1, 500, rng.integers(5, 200)).tolist() for _ in range(n)] for n in (120, 80)]
    labels = [rng.integers(0, 2, len(f)).tolist() for f in fake]
    write_imdb(root / "datasets" / "imdb" / "imdb.npz", fake[0], labels[0], fake[1], labels[1])
    (x_train, y_train), (x_test, y_test) = imdb.load_data(**kwargs)
    assert x_train.dtype == object
    (want_x, want_y), (want_tx, want_ty) = keras_rules(list(zip(fake, labels)), **kwargs)
    assert [list(map(int, x)) for x in x_train] == want_x and y_train.tolist() == want_y
    assert [list(map(int, x)) for x in x_test] == want_tx and y_test.tolist() == want_ty


def test_word_index_label_names_and_keras_cache(root):
    index = {"the": 1, "and": 2, "a": 3}
    folder = root / "keras" / "datasets"  # only in the Keras cache
    folder.mkdir(parents=True)
    (folder / "imdb_word_index.json").write_text(json.dumps(index))
    assert imdb.get_word_index() == index
    (root / "datasets" / "reuters").mkdir(parents=True)
    (root / "datasets" / "reuters" / "reuters_word_index.json").write_text(json.dumps({"said": 1}))
    assert reuters.get_word_index() == {"said": 1}
    write_imdb(folder / "imdb.npz")
    assert as_lists(imdb.load_data()) == KERAS[("imdb", "{}")]
    names = reuters.get_label_names()
    assert len(names) == 46 and names[:4] == ("cocoa", "grain", "veg-oil", "earn") and names[-1] == "lead"
    with pytest.raises(ValueError, match="no sequence was kept"):
        imdb.load_data(maxlen=2)


def test_offline_error_says_what_to_put_where(root):
    with pytest.raises(OSError) as info:
        imdb.load_data()
    assert isinstance(info.value, word_sequences.WordSequencesNotFoundError)
    message = str(info.value)
    for part in ("imdb.npz", str(root / "datasets" / "imdb"), str(root / "keras" / "datasets"), "FERROFLOW_DATASETS"):
        assert part in message
    assert "network disabled in tests" in message
    with pytest.raises(OSError, match="reuters_word_index.json"):
        reuters.get_word_index()
    assert not (root / "datasets" / "imdb").exists() or list((root / "datasets" / "imdb").iterdir()) == []


def test_download_verifies_the_checksum(root, monkeypatch):
    remote = root / "remote"
    write_imdb(remote / "imdb.npz")
    digest = hashlib.sha256((remote / "imdb.npz").read_bytes()).hexdigest()
    monkeypatch.setattr(_download, "urlopen", __import__("urllib.request").request.urlopen)
    monkeypatch.setattr(word_sequences, "BASE_URL", remote.as_uri() + "/")
    monkeypatch.setitem(word_sequences.CHECKSUMS, "imdb.npz", ("sha256", "0" * 64))
    with pytest.raises(OSError, match="checksum mismatch"):
        imdb.load_data()
    assert list((root / "datasets" / "imdb").iterdir()) == []  # no partial file left behind
    monkeypatch.setitem(word_sequences.CHECKSUMS, "imdb.npz", ("sha256", digest))
    assert as_lists(imdb.load_data()) == KERAS[("imdb", "{}")]
    assert (root / "datasets" / "imdb" / "imdb.npz").is_file()


class _Gadget:
    def __reduce__(self):
        return (print, ("this must not run",))


def test_npz_with_code_running_pickle_is_refused(root, capsys):
    path = root / "datasets" / "imdb" / "imdb.npz"
    path.parent.mkdir(parents=True)
    evil = np.empty(1, dtype=object)
    evil[0] = _Gadget()
    np.savez(path, x_train=evil, y_train=np.array([1]), x_test=evil, y_test=np.array([0]))
    with pytest.raises(ValueError, match="Refusing to deserialize"):
        imdb.load_data()
    assert "this must not run" not in capsys.readouterr().out
    path.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="not a readable .npz archive"):
        imdb.load_data()
