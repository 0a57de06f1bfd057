"""What ``tf.saved_model.load`` returns: the loaded object, its signature functions and restored functions."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import numpy as np

from ..errors import InvalidArgumentError
from ..framework.dtypes import as_dtype
from ..framework.module import Module
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.tensor_spec import TensorSpec
from ..framework.variables import Variable


class _UserObject(Module):
    """The loaded object: ``signatures``, restored ``tf.function``s, variables and assets at the attributes
    they were saved from; ``variables`` and ``trainable_variables`` list every restored variable."""

    def __init__(self) -> None:
        super().__init__(name="user_object")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        call = self.__dict__.get("_restored_call")
        if call is None:
            raise TypeError("this loaded object was saved without a __call__ tf.function: it is not callable")
        return call(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}._UserObject object at 0x{id(self):x}>"


class _SignatureMap(Mapping):
    """``loaded.signatures``: signature name -> its function (read-only)."""

    def __init__(self, functions: dict) -> None:
        self._functions = dict(functions)

    def __getitem__(self, key: str) -> Any:
        return self._functions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._functions)

    def __len__(self) -> int:
        return len(self._functions)

    def __repr__(self) -> str:
        return f"_SignatureMap({dict(self._functions)!r})"


def _as_input(value: Any, spec: TensorSpec, describe: Any) -> Any:
    """``value`` as a tensor of ``spec``'s dtype, or InvalidArgumentError naming what was expected."""
    if isinstance(value, Variable):
        value = value.value()
    if isinstance(value, (Tensor, np.ndarray, np.generic)):
        got = as_dtype(value.dtype)
        if got != spec.dtype:
            raise InvalidArgumentError(
                f"{describe()} was expected to be a {spec.dtype.name} tensor but is a {got.name} tensor"
            )
        tensor = value if isinstance(value, Tensor) else convert_to_tensor(value)
    else:
        try:
            tensor = convert_to_tensor(value, dtype=spec.dtype)
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(
                f"{describe()} must be a {spec.dtype.name} tensor, received {value!r}: {e}"
            ) from None
    if not spec.shape.is_compatible_with(tensor.shape):
        raise InvalidArgumentError(f"{describe()} must have shape {spec.shape}, received shape {tensor.shape}")
    return tensor


class SignatureFunction:
    """One signature of a loaded SavedModel: call it with its inputs (by name, or in order); it returns a dict
    of its named outputs, as TensorFlow's signature functions do."""

    def __init__(self, name: str, fn: Any, input_specs: list, output_specs: list) -> None:
        self.name = name
        self._fn = fn
        self._inputs = input_specs
        self._outputs = output_specs

    @property
    def structured_input_signature(self) -> tuple:
        return (), {s.name: s for s in self._inputs}

    @property
    def structured_outputs(self) -> dict:
        return {s.name: s for s in self._outputs}

    def __call__(self, *args: Any, **kwargs: Any) -> dict:
        names = [s.name for s in self._inputs]
        if len(args) > len(names):
            raise TypeError(
                f"signature '{self.name}' takes {len(names)} inputs ({', '.join(names)}), received {len(args)}"
            )
        bound = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(
                    f"signature '{self.name}' got an unexpected keyword argument '{key}'; its inputs are {names}"
                )
            if key in bound:
                raise TypeError(f"signature '{self.name}' got multiple values for argument '{key}'")
            bound[key] = value
        missing = [n for n in names if n not in bound]
        if missing:
            raise TypeError(
                f"signature '{self.name}'(*, {', '.join(names)}) missing required arguments: {', '.join(missing)}"
            )
        feeds = [
            _as_input(bound[s.name], s, lambda i=i, s=s: f"signature '{self.name}': input #{i} '{s.name}'")
            for i, s in enumerate(self._inputs)
        ]
        results = self._fn(*feeds)
        return {s.name: r for s, r in zip(self._outputs, results)}

    def __repr__(self) -> str:
        ins = ", ".join(f"{s.name}: TensorSpec(shape={s.shape}, dtype=tf.{s.dtype.name})" for s in self._inputs)
        return f"<SignatureFunction '{self.name}' ({ins}) -> {sorted(s.name for s in self._outputs)}>"


class _Leaf:
    """A tensor argument's place in a trace's argument structure."""

    def __init__(self, index: int, spec: TensorSpec) -> None:
        self.index, self.spec = index, spec


class RestoredFunction:
    """A ``tf.function`` restored from a SavedModel: it runs the trace whose arguments match the call."""

    def __init__(self, name: str, params: list, traces: list) -> None:
        self.name = name
        self._params = list(params)
        self._traces = traces  # (args template, kwargs template, function, outputs builder)

    def _bind(self, args: tuple, kwargs: dict, n_args: int) -> tuple:
        """Moves keyword arguments naming positional parameters into ``args`` (up to ``n_args``)."""
        args, kwargs = list(args), dict(kwargs)
        while len(args) < n_args and len(args) < len(self._params) and self._params[len(args)] in kwargs:
            args.append(kwargs.pop(self._params[len(args)]))
        return tuple(args), kwargs

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for template_args, template_kwargs, fn, build_outputs in self._traces:
            call_args, call_kwargs = self._bind(args, kwargs, len(template_args))
            feeds: dict = {}
            if _match(list(call_args), list(template_args), feeds) and _match(call_kwargs, template_kwargs, feeds):
                results = fn(*[feeds[i] for i in range(len(feeds))])
                return build_outputs(results)
        raise ValueError(self._mismatch(args, kwargs))

    def _mismatch(self, args: tuple, kwargs: dict) -> str:
        """TensorFlow's message for a call no trace accepts: the call (tensors shown as the placeholders a
        new trace would make) and each saved trace's arguments."""
        call_args, call_kwargs = self._bind(args, kwargs, len(self._params))
        names = self._params + [f"args_{i}" for i in range(len(self._params), len(call_args))]
        got = _arguments_text([_show_argument(v, names[i]) for i, v in enumerate(call_args)], repr(call_kwargs))
        options = "\n\n".join(
            f"Option {i + 1}:\n"
            + _arguments_text([_describe(t) for t in targs], _describe(tkwargs) if tkwargs else "{}")
            for i, (targs, tkwargs, _, _) in enumerate(self._traces)
        )
        return (
            f"Could not find matching concrete function to call loaded from the SavedModel. Got:\n{got}\n\n "
            f"Expected these arguments to match one of the following {len(self._traces)} option(s):\n\n{options}"
        )

    def __repr__(self) -> str:
        return f"<RestoredFunction '{self.name}' with {len(self._traces)} trace(s)>"


def _arguments_text(items: list, kwargs: str) -> str:
    lines = [f"  Positional arguments ({len(items)} total):"] + [f"    * {item}" for item in items]
    return "\n".join(lines) + f"\n  Keyword arguments: {kwargs}"


def _show_argument(value: Any, name: str) -> str:
    if isinstance(value, (Tensor, Variable, np.ndarray)):
        dtype = getattr(value.dtype, "name", str(value.dtype))
        return f"<tf.Tensor '{name}:0' shape={tuple(value.shape)} dtype={dtype}>"
    return repr(value)


def _describe(template: Any) -> str:
    if isinstance(template, _Leaf):
        return repr(template.spec)
    if isinstance(template, dict):
        return "{" + ", ".join(f"{k!r}: {_describe(v)}" for k, v in template.items()) + "}"
    if isinstance(template, (list, tuple)):
        return "(" + ", ".join(_describe(v) for v in template) + ")"
    return repr(template)


def _match(value: Any, template: Any, feeds: dict) -> bool:
    if isinstance(template, _Leaf):
        if isinstance(value, Variable):
            value = value.value()
        if (
            isinstance(value, np.ndarray)
            and not value.dtype.hasobject
            and value.dtype != np.dtype(template.spec.dtype.as_numpy_dtype)
        ):
            # As TensorFlow binds a NumPy array to a TensorSpec: cast to the spec's dtype (tensors are not cast).
            value = value.astype(template.spec.dtype.as_numpy_dtype)
        if not isinstance(value, (Tensor, np.ndarray)):
            if not isinstance(value, (int, float, list)) or isinstance(value, bool):
                return False
            try:
                value = convert_to_tensor(value, dtype=template.spec.dtype)
            except (TypeError, ValueError):
                return False
        if not template.spec.is_compatible_with(value):
            return False
        feeds[template.index] = value if isinstance(value, Tensor) else convert_to_tensor(value)
        return True
    if isinstance(template, dict):
        return (
            isinstance(value, dict)
            and set(value) == set(template)
            and all(_match(value[k], template[k], feeds) for k in template)
        )
    if isinstance(template, (list, tuple)):
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(template)
            and all(_match(v, t, feeds) for v, t in zip(value, template))
        )
    if isinstance(value, (Tensor, np.ndarray)):
        return False
    try:
        return bool(value == template)
    except Exception:
        return False
