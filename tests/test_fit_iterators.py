"""fit / evaluate / predict fed by generators, keras.utils.PyDataset and iterable datasets, as Keras 3 accepts."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras
RNG = np.random.default_rng(0)
X = RNG.random((10, 4)).astype("float32")
Y = RNG.integers(0, 3, 10)


def classifier(dropout: float = 0.0) -> keras.Model:
    keras.utils.set_random_seed(1)
    layers = [keras.Input((4,)), keras.layers.Dense(8, activation="relu")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    model = keras.Sequential(layers + [keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def batches(x=X, y=Y, size=3, sw=None, epochs=1):
    """The batches array-fed fit makes with shuffle=False (the last one smaller)."""
    for _ in range(epochs):
        for i in range(0, len(x), size):
            if sw is None:
                yield x[i : i + size], y[i : i + size]
            else:
                yield x[i : i + size], y[i : i + size], sw[i : i + size]


def forever(log=None):
    i = 0
    while True:
        if log is not None:
            log.append(i)
        j = i % 4
        yield X[j * 2 : j * 2 + 2], Y[j * 2 : j * 2 + 2]
        i += 1


def assert_same_weights(a: keras.Model, b: keras.Model) -> None:
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def fit_quietly(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(*args, verbose=0, **kwargs)


class Batches(keras.utils.PyDataset):
    def __init__(self, x=X, y=Y, size=3, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.size = x, y, size
        self.seen: list = []
        self.epoch_ends = 0
        self.epoch_begins = 0

    def __len__(self):
        return (len(self.x) + self.size - 1) // self.size

    def __getitem__(self, i):
        self.seen.append(i)
        return self.x[i * self.size : (i + 1) * self.size], self.y[i * self.size : (i + 1) * self.size]

    def on_epoch_begin(self):
        self.epoch_begins += 1

    def on_epoch_end(self):
        self.epoch_ends += 1


class Dataset:
    """A stand-in for tf.data.Dataset: iterable afresh, with cardinality()."""

    def __init__(self, items, cardinality=None):
        self.items, self._cardinality, self.iterations = items, cardinality, 0

    def __iter__(self):
        self.iterations += 1
        return iter(self.items)

    def cardinality(self):
        return len(self.items) if self._cardinality is None else self._cardinality


# -- numerics: the same batches give the same training as arrays


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_generator_fit_matches_arrays(dropout):
    by_arrays = classifier(dropout)  # each model built and trained after the seed is set: same dropout masks
    h1 = by_arrays.fit(X, Y, batch_size=3, epochs=2, shuffle=False, verbose=0)
    by_generator = classifier(dropout)
    h2 = fit_quietly(by_generator, batches(epochs=2), steps_per_epoch=4, epochs=2, shuffle=False)
    assert_same_weights(by_arrays, by_generator)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-6)


def test_pydataset_and_dataset_match_arrays():
    reference = classifier()
    reference.fit(X, Y, batch_size=3, epochs=2, shuffle=False, verbose=0)
    for data in (Batches(), Dataset(list(batches()))):
        model = classifier()
        fit_quietly(model, data, epochs=2, shuffle=False)
        assert_same_weights(reference, model)


def test_sample_weight_and_class_weight_match_arrays():
    sw = np.linspace(0.5, 2.0, 10).astype("float32")
    a, b = classifier(), classifier()
    a.fit(X, Y, sample_weight=sw, batch_size=3, shuffle=False, verbose=0)
    fit_quietly(b, batches(sw=sw), shuffle=False)
    assert_same_weights(a, b)
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    a, b = classifier(), classifier()
    a.fit(X, Y, class_weight=weights, batch_size=3, shuffle=False, verbose=0)
    fit_quietly(b, Batches(), class_weight=weights, shuffle=False)
    assert_same_weights(a, b)
    with pytest.raises(ValueError, match="class_weight` and `sample_weight"):
        fit_quietly(classifier(), batches(sw=sw), class_weight=weights)


def test_evaluate_and_predict_match_arrays():
    model = classifier()
    model.fit(X, Y, batch_size=3, verbose=0)
    expected = model.evaluate(X, Y, batch_size=3, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(model.evaluate(batches(), verbose=0), expected, rtol=1e-6)
        logs = model.evaluate(Batches(), verbose=0, return_dict=True)
        assert logs["loss"] == pytest.approx(expected[0], rel=1e-6)
        np.testing.assert_allclose(
            model.evaluate(batches(), steps=2, verbose=0), model.evaluate(X[:6], Y[:6], verbose=0), rtol=1e-6
        )
        expected = model.predict(X, verbose=0)
        np.testing.assert_allclose(model.predict((x for x, _ in batches()), verbose=0), expected, rtol=1e-6)
        np.testing.assert_allclose(model.predict(batches(), verbose=0), expected, rtol=1e-6)  # (x, y): y unused
        np.testing.assert_allclose(model.predict(Batches(), verbose=0), expected, rtol=1e-6)
        assert model.predict(forever(), steps=3, verbose=0).shape == (6, 3)


def test_multi_input_dict_batches():
    a = keras.Input((4,), name="a")
    b = keras.Input((2,), name="b")
    joined = keras.layers.Lambda(lambda t: tf.concat(t, axis=-1))([a, b])
    out = keras.layers.Dense(3, activation="softmax")(joined)
    model = keras.Model({"a": a, "b": b}, out)
    model.compile("sgd", "sparse_categorical_crossentropy")
    xb = RNG.random((10, 2)).astype("float32")
    data = [({"a": X[i : i + 5], "b": xb[i : i + 5]}, Y[i : i + 5]) for i in (0, 5)]
    history = fit_quietly(model, iter(data))
    assert len(history.history["loss"]) == 1
    assert model.predict(Dataset([d for d, _ in data]), verbose=0).shape == (10, 3)


# -- epochs, steps_per_epoch and running out of data


def test_steps_per_epoch_continues_the_generator_across_epochs():
    log: list = []
    history = fit_quietly(classifier(), forever(log), steps_per_epoch=3, epochs=4)
    assert len(history.history["loss"]) == 4
    assert history.params["steps"] == 3
    assert log == list(range(12))  # one generator, 12 batches: never restarted, nothing read ahead


def test_exhausted_generator_warns_and_stops_training():
    model = classifier()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(), steps_per_epoch=3, epochs=5, verbose=0, shuffle=False)
    # 4 batches: epoch 1 takes 3, epoch 2 gets the last one and the generator runs out.
    assert len(history.history["loss"]) == 2
    assert int(model.optimizer.iterations.numpy()) == 4
    with pytest.warns(UserWarning, match="ran out of data"):
        history = classifier().fit(batches(), epochs=3, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 1
    assert history.params["steps"] is None


def test_dataset_restarts_each_epoch_without_steps_per_epoch():
    data = Dataset(list(batches()))
    history = fit_quietly(classifier(), data, epochs=3)
    assert data.iterations == 3
    assert history.params["steps"] == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dataset that knows its length ends epochs without a warning
        classifier().fit(data, epochs=1, verbose=0, shuffle=False)


def test_dataset_with_steps_per_epoch_keeps_its_iterator():
    data = Dataset(list(batches(size=1)))  # 10 batches
    model = classifier()
    fit_quietly(model, data, steps_per_epoch=5, epochs=2)
    assert data.iterations == 1  # epoch 2 continued the iterator of epoch 1
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(data, steps_per_epoch=4, epochs=3, verbose=0, shuffle=False)
    # 4 + 4 + 2 (the data ends; the warning says so) and a fresh iterator for the next fit call.
    assert data.iterations == 2
    assert int(model.optimizer.iterations.numpy()) == 10 + 10


def test_infinite_data_needs_steps():
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        classifier().fit(Dataset([], cardinality=-1), verbose=0, shuffle=False)

    class Endless(Batches):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, i):
            return super().__getitem__(i % 4)

    history = fit_quietly(classifier(), Endless(), steps_per_epoch=7, epochs=2)
    assert len(history.history["loss"]) == 2


def test_empty_generator_raises():
    with pytest.raises(ValueError, match="yielded no batches"):
        fit_quietly(classifier(), iter([]))


# -- validation


def test_validation_data_as_generator_and_pydataset():
    model = classifier()
    history = fit_quietly(
        model, forever(), steps_per_epoch=2, epochs=3, validation_data=forever(), validation_steps=2, shuffle=False
    )
    assert len(history.history["val_loss"]) == 3
    expected = model.evaluate(X[:4], Y[:4], verbose=0)  # epoch 3 validated on the generator's batches 4, 5
    assert history.history["val_loss"][-1] == pytest.approx(expected[0], rel=1e-5)
    history = classifier().fit(X, Y, batch_size=3, epochs=2, validation_data=Batches(), verbose=0)
    assert len(history.history["val_accuracy"]) == 2
    history = fit_quietly(classifier(), Batches(), validation_data=(X, Y), epochs=2)
    assert len(history.history["val_loss"]) == 2


# -- PyDataset


def test_pydataset_order_shuffle_and_epoch_hooks():
    data = Batches(size=2)  # 5 batches
    fit_quietly(classifier(), data, epochs=3, shuffle=False)
    assert data.seen == list(range(5)) * 3
    assert data.epoch_ends == 3 and data.epoch_begins == 3
    keras.utils.set_random_seed(3)
    data = Batches(size=1)
    fit_quietly(classifier(), data, epochs=2, shuffle=True)
    first, second = data.seen[:10], data.seen[10:]
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != list(range(10)) and first != second


def test_pydataset_workers_keep_the_order():
    a, b = classifier(), classifier()
    fit_quietly(a, Batches(size=1), epochs=2, shuffle=False)
    data = Batches(size=1, workers=4, use_multiprocessing=True, max_queue_size=3)
    fit_quietly(b, data, epochs=2, shuffle=False)
    assert_same_weights(a, b)
    assert data.workers == 4 and data.max_queue_size == 3


def test_pydataset_api():
    assert keras.utils.Sequence is keras.utils.PyDataset
    assert {"PyDataset", "Sequence"} <= set(dir(keras.utils))

    class NoSuper(keras.utils.PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 2

        def __getitem__(self, i):
            return X[:2], Y[:2]

    data = NoSuper()
    with pytest.warns(UserWarning, match="super"):
        assert data.workers == 1
    assert len(list(data)) == 2
    with pytest.raises(NotImplementedError):
        keras.utils.PyDataset()[0]


# -- callbacks


class Recorder(keras.callbacks.Callback):
    def __init__(self, stop_at=None):
        super().__init__()
        self.events: list = []
        self.stop_at = stop_at

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("end", batch, round(logs["loss"], 6)))
        if batch == self.stop_at:
            self.model.stop_training = True


def test_batch_callbacks_see_every_batch():
    recorder = Recorder()
    fit_quietly(classifier(), forever(), steps_per_epoch=3, epochs=2, callbacks=[recorder])
    assert [e[:2] for e in recorder.events] == [(k, b) for b in range(3) for k in ("begin", "end")] * 2
    stopper = Recorder(stop_at=1)
    model = classifier()
    history = fit_quietly(model, forever(), steps_per_epoch=5, epochs=3, callbacks=[stopper])
    assert int(model.optimizer.iterations.numpy()) == 2
    assert len(history.history["loss"]) == 1

    class EndOnly(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches: list = []

        def on_train_batch_end(self, batch, logs=None):
            self.batches.append(batch)

    end_only = EndOnly()
    fit_quietly(classifier(), Batches(size=1), epochs=1, callbacks=[end_only], shuffle=False)
    assert end_only.batches == list(range(10))


def test_progress_bar_with_unknown_steps(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        classifier().fit(batches(), verbose=1)
    out = capsys.readouterr().out
    assert "4/4" in out and "loss:" in out


# -- errors


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"y": Y}, "`y` should not be passed"),
        ({"sample_weight": np.ones(10)}, "`sample_weight` should not be passed"),
        ({"validation_split": 0.2}, "validation_split` is only supported for tensors or NumPy arrays"),
    ],
)
def test_arguments_that_batched_data_rejects(kwargs, match):
    for data in (batches(), Batches(), Dataset(list(batches()))):
        with pytest.raises(ValueError, match=match):
            classifier().fit(data, verbose=0, shuffle=False, **kwargs)


def test_batch_size_is_ignored_for_batched_data():
    """Keras 3 accepts and ignores ``batch_size`` when the data yields whole batches (as the Keras guide's
    PyDataset example passes it): the batches keep their own size."""
    for data in (batches(), Batches(), Dataset(list(batches()))):
        history = classifier().fit(data, batch_size=64, verbose=0, shuffle=False)
        assert len(history.history["loss"]) == 1
    assert len(classifier().evaluate(batches(), batch_size=64, verbose=0)) == 2
    assert classifier().predict(Batches(), batch_size=64, verbose=0).shape[0] == len(X)


def test_wrong_structure_is_named():
    with pytest.raises(ValueError, match=r"must yield a tuple.*Received: list of 2 \(ndarray of shape \(3, 4\)"):
        fit_quietly(classifier(), ([x, y] for x, y in batches()))
    with pytest.raises(ValueError, match=r"\(x, y, sample_weight\)`; the generator yielded a tuple of 4"):
        fit_quietly(classifier(), ((x, y, y, y) for x, y in batches()))
    with pytest.raises(ValueError, match=r"need targets.*Received: tuple of 1"):
        fit_quietly(classifier(), ((x,) for x, _ in batches()))
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(3, 5\)"):
        fit_quietly(classifier(), ((np.zeros((3, 5), "float32"), Y[:3]) for _ in range(2)))
    with pytest.raises(ValueError, match="same number of samples"):
        fit_quietly(classifier(), ((x, y[:1]) for x, y in batches()))


def test_errors_raised_by_the_data_reach_the_caller():
    def failing():
        yield from batches(size=2)
        raise RuntimeError("disk on fire")

    model = classifier()
    with pytest.raises(RuntimeError, match="disk on fire"):
        fit_quietly(model, failing(), epochs=2)
    # the model is usable afterwards: the reading thread stopped, and the next fit runs normally
    history = fit_quietly(model, forever(), steps_per_epoch=2, epochs=2)
    assert len(history.history["loss"]) == 2

    class Broken(Batches):
        def __getitem__(self, i):
            if i == 2:
                raise KeyError("missing file 2")
            return super().__getitem__(i)

    with pytest.raises(KeyError, match="missing file 2"):
        fit_quietly(classifier(), Broken(workers=2), shuffle=False)
