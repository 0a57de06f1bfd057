"""``tf.compat.v1.saved_model.main_op``: the op a TF1 SavedModel runs after restoring its variables on load
(``Builder.add_meta_graph_and_variables(main_op=...)``), typically filling lookup tables."""

from __future__ import annotations

from typing import Any

from ...framework import context


def main_op() -> Any:
    """One op that runs the global and local variables' initializers and the tables' initializers.

    Note that, run by the loader after the variables are restored, it resets the global variables to their
    initial values, as in TensorFlow: to keep restored values, pass ``tf.compat.v1.tables_initializer()`` (or a
    group of it with the local variables' initializer) instead."""
    if context.executing_eagerly():
        raise RuntimeError("main_op() needs a TF1 graph: build the model inside `with tf.Graph().as_default():`")
    from ...lookup._v1 import tables_initializer
    from ...ops.array_ops import group
    from .variables import global_variables_initializer, local_variables_initializer

    return group(global_variables_initializer(), local_variables_initializer(), tables_initializer()).op


def main_op_with_restore(restore_op_name: Any) -> Any:
    """``main_op()`` followed by the op ``restore_op_name`` (a restore op, or the name of one)."""
    from ...framework.control_flow_deps import control_dependencies
    from ...ops.array_ops import group

    op = restore_op_name
    if isinstance(op, str):
        op = context.get_default_graph().get_operation_by_name(op)
    with control_dependencies([main_op()]):
        return group(op).op


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
