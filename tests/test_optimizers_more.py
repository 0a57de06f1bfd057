"""Adadelta, Adamax, Nadam, Lamb, Lion, Adafactor, Muon and ScheduleFreeAdamW against NumPy references of
Keras 3's update rules over several steps (eager, tf.function and a raw graph), numbers Keras 3.15 computed,
configs and name lookups, variables in Keras's order, compiled fit, and a .keras save/load round trip."""

import io
import zipfile

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework.ops import apply
from ferroflow.optimizers._keras_order import keras_variables
from optimizer_reference_more import MoreReference

opts = tf.keras.optimizers
rng = np.random.default_rng(0)
P0 = [rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(3,)).astype(np.float32)]
P0.append(rng.normal(size=(3, 4)).astype(np.float32))
GRADS = [[(2.0 * rng.normal(size=p.shape)).astype(np.float32) for p in P0] for _ in range(3)]
LR = 0.1
F32_LR = float(np.float32(LR))

# Keras 3.15 after the three steps: sum(param * arange(param.size)) for each parameter.
KERAS = {
    ("Adadelta", ()): [-55.414018, -1.177408, -6.345158],
    ("Adadelta", (("epsilon", 1e-3), ("rho", 0.8))): [-56.007169, -1.204911, -6.742068],
    ("Adamax", ()): [-66.361031, -1.757304, -7.628820],
    ("Adamax", (("beta_1", 0.5), ("beta_2", 0.9))): [-65.710706, -1.705783, -8.427609],
    ("Nadam", ()): [-64.214536, -1.600045, -9.396087],
    ("Nadam", (("beta_1", 0.8), ("epsilon", 1e-4))): [-65.009365, -1.638704, -9.776883],
    ("Lamb", ()): [-71.642340, -1.633783, -8.531042],
    ("Lamb", (("weight_decay", 0.1),)): [-69.514493, -1.585258, -8.277664],
    ("Lion", ()): [-65.101941, -1.676859, -10.538122],
    ("Lion", (("beta_1", 0.5), ("beta_2", 0.9))): [-65.101941, -1.676859, -10.538122],
    ("Adafactor", ()): [-63.215539, -1.396970, -9.067257],
    ("Adafactor", (("beta_2_decay", -0.5), ("clip_threshold", 0.5), ("epsilon_2", 0.1))): [
        -59.262012,
        -1.296389,
        -7.733705,
    ],
    ("Muon", ()): [-58.273000, -1.858441, -6.500914],
    (
        "Muon",
        (("adam_lr_ratio", 0.5), ("nesterov", False), ("ns_steps", 3), ("rms_rate", None), ("weight_decay", 0.1)),
    ): [-61.121788, -1.516945, -6.229087],
    ("ScheduleFreeAdamW", ()): [-63.093895, -1.527353, -8.411470],
    ("ScheduleFreeAdamW", (("warmup_steps", 2), ("weight_decay", 0.05))): [-60.147665, -1.370625, -8.477263],
}
CASES = [(name, dict(hp)) for name, hp in KERAS]
CASES += [("Adamax", {"clipnorm": 1.0}), ("Nadam", {"weight_decay": 0.05}), ("Lion", {"global_clipnorm": 1.5})]


def _ids(case):
    return case[0] + "-" + "-".join(f"{k}={v}" for k, v in case[1].items())


def _variables(dtype=np.float32):
    return [tf.Variable(p.astype(dtype), name=f"p{i}") for i, p in enumerate(P0)]


def _reference(name, hp):
    from optimizer_reference import clip

    ref = MoreReference(name, P0, **hp)
    for grads in GRADS:
        grads = clip([g.astype(np.float64) for g in grads], hp.get("clipnorm"), None, hp.get("global_clipnorm"))
        ref.step(grads, F32_LR)
    return ref.params


def _digest(params):
    return [float(np.sum(np.asarray(p) * np.arange(np.size(p)).reshape(np.shape(p)))) for p in params]


def _run_eager(opt, variables):
    for grads in GRADS:
        assert opt.apply(grads, variables) is None


def _run_function(opt, variables):
    @tf.function
    def step(g0, g1, g2):
        return opt.apply([g0, g1, g2], variables)

    for grads in GRADS:
        step(*grads)
    assert step.experimental_get_tracing_count() == 1


def _run_graph(opt, variables):
    g = tf.Graph()
    with g.as_default():
        feeds = [apply("placeholder", [], {"dtype": "float32", "shape": list(p.shape)}) for p in P0]
        update = opt.apply(feeds, variables)
    plan = g._g.compile([update.node], [f.node for f in feeds])
    for grads in GRADS:
        plan.run([tf.constant(x)._t for x in grads])


@pytest.mark.parametrize("case", CASES, ids=_ids)
@pytest.mark.parametrize("runner", [_run_eager, _run_function, _run_graph], ids=["eager", "function", "graph"])
def test_three_steps_match_the_keras_rule(case, runner):
    name, hp = case
    variables = _variables()
    opt = getattr(opts, name)(learning_rate=LR, **hp)
    runner(opt, variables)
    want = _reference(name, hp)
    for v, w in zip(variables, want):
        np.testing.assert_allclose(v.numpy(), w, rtol=2e-5, atol=2e-6)
    assert int(opt.iterations.numpy()) == 3
    keras_digest = KERAS.get((name, tuple(sorted(hp.items()))))
    if keras_digest is not None:
        np.testing.assert_allclose(_digest(want), keras_digest, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["Adadelta", "Nadam", "Adafactor", "Muon"])
def test_float64_variables(name):
    variables = _variables(np.float64)
    opt = getattr(opts, name)(learning_rate=LR)
    for grads in GRADS:
        opt.apply([g.astype(np.float64) for g in grads], variables)
    ref = MoreReference(name, P0)
    for grads in GRADS:
        ref.step(grads, F32_LR)  # the learning-rate variable is float32, as in Keras
    for v, w in zip(variables, ref.params):
        assert v.dtype == tf.float64
        np.testing.assert_allclose(v.numpy(), w, rtol=1e-9, atol=1e-12)


KERAS_CONFIG_KEYS = {
    "Adadelta": ["rho", "epsilon"],
    "Adamax": ["beta_1", "beta_2", "epsilon"],
    "Nadam": ["beta_1", "beta_2", "epsilon"],
    "Lamb": ["beta_1", "beta_2", "epsilon"],
    "Lion": ["beta_1", "beta_2"],
    "Adafactor": ["beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step"],
    "Muon": [
        "adam_beta_1",
        "adam_beta_2",
        "epsilon",
        "exclude_layers",
        "muon_a",
        "muon_b",
        "muon_c",
        "adam_lr_ratio",
        "momentum",
        "ns_steps",
        "nesterov",
        "exclude_embeddings",
        "adam_weight_decay",
        "rms_rate",
    ],
    "ScheduleFreeAdamW": ["beta_1", "beta_2", "epsilon", "warmup_steps"],
}
BASE_KEYS = [
    "name",
    "learning_rate",
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
]
DEFAULT_NAMES = {"ScheduleFreeAdamW": "schedule_free_adam_w"}


@pytest.mark.parametrize("name", sorted(KERAS_CONFIG_KEYS))
def test_configs_names_and_lookup(name):
    tf.keras.backend.clear_session()  # Keras 3 names optimizers uniquely in the session: the first is the class's
    cls = getattr(opts, name)
    opt = cls()
    config = opt.get_config()
    assert list(config) == BASE_KEYS + KERAS_CONFIG_KEYS[name]
    assert config["name"] == DEFAULT_NAMES.get(name, name.lower())
    again = opts.deserialize(opts.serialize(opt))
    assert type(again) is cls and again.get_config() == config
    assert isinstance(opts.get(name.lower()), cls) and isinstance(opts.get(name), cls)
    tuned = cls(learning_rate=opts.schedules.ExponentialDecay(0.1, 10, 0.5), clipnorm=2.0, use_ema=True)
    assert cls.from_config(tuned.get_config()).get_config() == tuned.get_config()


def test_keras_defaults_and_errors():
    assert opts.Adadelta().get_config()["rho"] == 0.95
    assert opts.Lion().get_config()["beta_2"] == 0.99
    assert opts.Muon().get_config()["weight_decay"] == 0.004
    assert float(opts.ScheduleFreeAdamW().learning_rate) == pytest.approx(0.0025)
    assert opts.ScheduleFreeAdamW().get_config()["epsilon"] == 1e-8
    with pytest.raises(ValueError, match="beta_1"):
        opts.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="not recognized"):
        opts.Nadam(momentum=0.9)


def test_variables_in_keras_order():
    tf.keras.backend.clear_session()
    a, b = tf.Variable(np.zeros((3, 2), np.float32), name="a"), tf.Variable(np.zeros(2, np.float32), name="b")

    def order(optimizer):
        optimizer.build([a, b])
        # Keras 3.15 names slots "a_0_<slot>" here (after "a:0"), Nadam's product "variable", Adafactor's factors "a:0".
        ordered = keras_variables(optimizer)
        assert list(map(id, ordered)) == list(map(id, optimizer.variables))
        return [(v.name.split("_0_", 1)[-1], tuple(v.shape)) for v in ordered[2:]]

    assert order(opts.Adadelta()) == [
        ("accumulated_grad", (3, 2)),
        ("accumulated_delta_var", (3, 2)),
        ("accumulated_grad", (2,)),
        ("accumulated_delta_var", (2,)),
    ]
    assert order(opts.Nadam(use_ema=True)) == [
        ("average", (3, 2)),
        ("average", (2,)),
        ("momentum", (3, 2)),
        ("velocity", (3, 2)),
        ("momentum", (2,)),
        ("velocity", (2,)),
        ("variable", ()),
    ]
    assert order(opts.Adafactor()) == [
        ("a:0", (3,)),
        ("a:0", (2,)),
        ("velocity", (3, 2)),
        ("b:0", ()),
        ("b:0", ()),
        ("velocity", (2,)),
    ]
    assert order(opts.Muon()) == [("momentum", (3, 2)), ("momentum", (2,)), ("velocity", (2,))]
    assert order(opts.Lion()) == [("momentum", (3, 2)), ("momentum", (2,))]


@pytest.mark.parametrize(
    "name", ["Adadelta", "Adamax", "Nadam", "Lamb", "Lion", "Adafactor", "Muon", "ScheduleFreeAdamW"]
)
def test_compiled_fit_reduces_the_loss(name):
    data = np.random.default_rng(1)
    x = data.normal(size=(128, 8)).astype("float32")
    y = (x @ data.normal(size=(8, 2)) + 0.5).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, "tanh"), tf.keras.layers.Dense(2)])
    lr = {"Adadelta": 5.0, "Adafactor": 0.05, "Muon": 0.05}.get(name, 0.01)
    model.compile(getattr(opts, name)(learning_rate=lr), loss="mse")
    history = model.fit(x, y, epochs=6, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < 0.7 * history[0]
    assert int(model.optimizer.iterations.numpy()) == 24


@pytest.mark.parametrize("name", ["Nadam", "Adafactor"])
def test_keras_file_round_trip_resumes_identically(name, tmp_path):
    h5py = pytest.importorskip("h5py")
    data = np.random.default_rng(2)
    x = data.normal(size=(64, 3)).astype("float32")
    y = (x @ data.normal(size=(3, 2))).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(4, "tanh"), tf.keras.layers.Dense(2)])
    model.compile(getattr(opts, name)(learning_rate=0.05), loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf, h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as h5:
        stored = [h5["optimizer/vars"][str(i)][()] for i in range(len(h5["optimizer/vars"]))]
    ordered = keras_variables(model.optimizer)
    assert len(stored) == len(ordered) == len(model.optimizer.variables)
    for array, variable in zip(stored, ordered):
        np.testing.assert_array_equal(array, variable.numpy())
    again = tf.keras.models.load_model(path)
    assert type(again.optimizer) is type(model.optimizer)
    assert again.optimizer.get_config() == model.optimizer.get_config()
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    again.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    for a, b in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
