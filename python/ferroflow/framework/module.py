"""``tf.Module``: a named container whose variables and submodules are found through its attributes."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator, Optional, Tuple

from . import context
from .variables import Variable

_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_CAMEL_BOUNDARY = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def _snake_case(class_name: str) -> str:
    """``MyDenseLayer`` -> ``my_dense_layer``: the default module name, as TensorFlow derives it."""
    return _CAMEL_BOUNDARY.sub(r"_\1", class_name).lower()


class Module:
    """``tf.Module``: the base class of objects that own variables and other modules.

    Variables, modules and Keras layers are found by walking the object's attributes (and the lists,
    tuples and dicts they hold) when asked, so nothing needs registering::

        class Dense(tf.Module):
            def __init__(self, in_features, out_features, name=None):
                super().__init__(name=name)
                self.w = tf.Variable(tf.random.normal([in_features, out_features]), name="w")
                self.b = tf.Variable(tf.zeros([out_features]), name="b")

    ``tf.train.Checkpoint`` saves a module's variables under their attribute paths (``w``, ``layers/0/b``).
    """

    # Attributes the walk never enters (they refer back to the module or are caches).
    _TF_MODULE_IGNORED_PROPERTIES: frozenset = frozenset(("_self_unconditional_checkpoint_dependencies",))

    def __init__(self, name: Optional[str] = None) -> None:
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not isinstance(name, str) or not _VALID_NAME.match(name):
            raise ValueError(
                f"{name!r} is not a valid module name: module names must be valid Python identifiers "
                "(letters, digits and underscores, not starting with a digit)"
            )
        self._name = name
        self._scope_name = name

    def __setattr__(self, name: str, value: Any) -> None:
        # As TensorFlow's AutoTrackable: a list or dict attribute is kept as a ListWrapper / DictWrapper, so
        # that what is appended later is still checkpointed and restored (see train/_wrappers.py).
        if type(value) in (list, dict):
            from ..train._wrappers import wrap

            value = wrap(value)
        object.__setattr__(self, name, value)

    @property
    def name(self) -> str:
        """The module's name, given at construction or derived from the class name."""
        return self._name

    @property
    def name_scope(self) -> context.name_scope:
        """A ``name_scope`` for this module: ops and variables made inside are prefixed with its name."""
        return context.name_scope(self._scope_name)

    @property
    def variables(self) -> Tuple[Variable, ...]:
        """Every variable owned by this module and its submodules, each once, in attribute order."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self) -> Tuple[Variable, ...]:
        """The ``variables`` that are trainable."""
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and v.trainable))

    @property
    def non_trainable_variables(self) -> Tuple[Variable, ...]:
        """The ``variables`` that are not trainable."""
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and not v.trainable))

    @property
    def submodules(self) -> Tuple[Any, ...]:
        """Every module (and Keras layer) reachable from this one, breadth first; not this module itself."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(
        self, recursive: bool = True, predicate: Optional[Callable[[Any], bool]] = None, with_path: bool = False
    ) -> Iterator[Any]:
        """The leaves of this module's attributes for which ``predicate`` holds, each once.

        Attributes are visited in name order; a module's own leaves come before those of its submodules
        (as TensorFlow's ``Module._flatten``). With ``with_path``, yields ``(path, leaf)`` pairs.
        """
        predicate = predicate or (lambda _: True)
        seen: set = {id(self)}
        for path, leaf in _walk_module(self, (), recursive, seen):
            if predicate(leaf):
                yield (path, leaf) if with_path else leaf

    def _checkpoint_children(self) -> dict:
        """What ``tf.train.Checkpoint`` saves: the attributes that hold variables, modules or containers, in the
        order they were set (TensorFlow's order, which decides the key of a variable reachable twice)."""
        return {
            key: value
            for key, value in vars(self).items()
            if key not in self._TF_MODULE_IGNORED_PROPERTIES and _holds_state(value)
        }

    @classmethod
    def with_name_scope(cls, method: Callable) -> Callable:
        """Decorates a method so that it runs inside the module's ``name_scope``."""

        @functools.wraps(method)
        def in_scope(self: Module, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)

        return in_scope


def _is_variable(x: Any) -> bool:
    return isinstance(x, Variable)


def _is_layer(x: Any) -> bool:
    return hasattr(x, "_own_weights") and hasattr(x, "_layers")


def _is_module(x: Any) -> bool:
    return isinstance(x, Module) or _is_layer(x)


def _holds_state(x: Any) -> bool:
    if _is_variable(x) or _is_module(x):
        return True
    if isinstance(x, dict):
        return any(_holds_state(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return any(_holds_state(v) for v in x)
    return False


def _leaves(value: Any, path: tuple) -> Iterator[Tuple[tuple, Any]]:
    """The leaves of a nested list/tuple/dict attribute, with their paths (dict keys in sorted order)."""
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key], path + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, path + (i,))
    else:
        yield path, value


def _walk_module(module: Any, prefix: tuple, recursive: bool, seen: set) -> Iterator[Tuple[tuple, Any]]:
    """A module's leaves (each object once, cycles cut), then, recursively, its submodules' leaves."""
    submodules = []
    if isinstance(module, Module):
        ignored = module._TF_MODULE_IGNORED_PROPERTIES
        # String keys only: a tf.function method caches its per-instance Function under a tuple key.
        items = sorted((k, v) for k, v in vars(module).items() if isinstance(k, str) and k not in ignored)
    else:
        # A Keras layer: its own weights, then the layers it holds.
        items = [("weights", list(module._own_weights())), ("layers", list(module._layers))]
    for key, value in items:
        for path, leaf in _leaves(value, prefix + (key,)):
            if id(leaf) in seen:
                continue
            if _is_variable(leaf) or _is_module(leaf):
                seen.add(id(leaf))
                yield path, leaf
                if _is_module(leaf):
                    submodules.append((path, leaf))
    if recursive:
        for path, sub in submodules:
            yield from _walk_module(sub, path, recursive, seen)
