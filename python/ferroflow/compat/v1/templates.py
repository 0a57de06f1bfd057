"""``tf.compat.v1.make_template``: a function whose variables are made on its first call and shared by every
later call, because the later calls run inside the first call's variable scope with ``reuse=True``."""

from __future__ import annotations

from typing import Any, Callable, Optional

from .variable_scope import VariableScope, _store, variable_scope


class Template:
    """A function wrapped for variable sharing (``make_template``'s result)."""

    def __init__(
        self,
        name: str,
        func: Callable,
        create_scope_now: bool = False,
        unique_name: Optional[str] = None,
        custom_getter: Any = None,
    ) -> None:
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._scope: Optional[VariableScope] = None
        self._variables_created = False
        if create_scope_now:
            self._capture_scope()

    def _capture_scope(self) -> None:
        with variable_scope(self._unique_name, default_name=self._name, custom_getter=self._custom_getter) as scope:
            self._scope = scope

    @property
    def name(self) -> str:
        return self._name

    @property
    def variable_scope(self) -> Optional[VariableScope]:
        return self._scope

    var_scope = variable_scope

    @property
    def variable_scope_name(self) -> str:
        return self._scope.name if self._scope is not None else ""

    @property
    def variables(self) -> list:
        if self._scope is None:
            return []
        prefix = self._scope.name + "/"
        return [v for key, v in _store().variables.items() if key.startswith(prefix)]

    @property
    def trainable_variables(self) -> list:
        return [v for v in self.variables if getattr(v, "trainable", True)]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._scope is None:
            self._capture_scope()
        if self._variables_created:
            with variable_scope(self._scope, reuse=True):
                return self._func(*args, **kwargs)
        with variable_scope(self._scope):
            result = self._func(*args, **kwargs)
        self._variables_created = True
        return result


def make_template(
    name_: str,
    func_: Callable,
    create_scope_now_: bool = False,
    unique_name_: Optional[str] = None,
    custom_getter_: Any = None,
    **kwargs: Any,
) -> Template:
    """``func_`` (with ``kwargs`` bound) as a Template: its ``get_variable`` calls create variables in a scope
    named ``name_`` (made unique) the first time and find the same variables every later time."""
    if kwargs:
        import functools

        func_ = functools.partial(func_, **kwargs)
    return Template(
        name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_, custom_getter=custom_getter_
    )
