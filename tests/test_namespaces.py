"""Namespace hygiene: ``dir()`` of every public module lists its API and nothing its implementation imported."""

import types

import ferroflow as tf

# Names an implementation imports that must never show in a public namespace.
IMPORTED_HELPERS = {
    "annotations",
    "importlib",
    "inspect",
    "Any",
    "Optional",
    "Union",
    "Callable",
    "np",
    "numpy",
    "os",
    "sys",
    "re",
    "math_ops",
    "array_ops",
    "builtins",
    "functools",
}


def public_modules():
    """Every module reachable from ``tf`` through the names ``dir()`` lists, with its path."""
    found, stack, seen = [], [("tf", tf)], set()
    while stack:
        path, module = stack.pop()
        if id(module) in seen:
            continue
        seen.add(id(module))
        found.append((path, module))
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, types.ModuleType):
                stack.append((f"{path}.{name}", value))
    return found


def test_every_public_module_lists_only_its_api():
    modules = public_modules()
    assert len(modules) > 30
    problems = {}
    for path, module in modules:
        bad = []
        for name in dir(module):
            if name.startswith("__") and name.endswith("__"):
                continue
            value = getattr(module, name)  # every listed name resolves
            ours = isinstance(value, types.ModuleType) and value.__name__.startswith("ferroflow")
            if name.startswith("_") or (name in IMPORTED_HELPERS and not ours):
                bad.append(name)
            elif isinstance(value, types.ModuleType) and not value.__name__.startswith("ferroflow"):
                bad.append(name)
            elif getattr(value, "__module__", None) == "typing":
                bad.append(name)
        if bad:
            problems[path] = bad
    assert not problems, problems


def test_implementation_files_are_not_listed_as_submodules():
    assert {"framework", "ops"}.isdisjoint(dir(tf))
    assert {"base_layer", "core", "reshaping"}.isdisjoint(dir(tf.keras.layers))
    assert {"csv_logger", "history", "callback"}.isdisjoint(dir(tf.keras.callbacks))
    assert {"math", "nn", "random", "keras", "compat", "version"} <= set(dir(tf))
    assert "schedules" in dir(tf.keras.optimizers)


def test_the_guides_core_names_are_present():
    for name in [
        "Module",
        "Variable",
        "GradientTape",
        "function",
        "linspace",
        "eye",
        "slice",
        "gather_nd",
        "tile",
        "pad",
        "split",
        "reverse",
        "roll",
        "repeat",
        "meshgrid",
        "unstack",
    ]:
        assert name in dir(tf), name
    assert tf.version.VERSION == tf.__version__
