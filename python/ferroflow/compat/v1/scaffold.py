"""``tf.compat.v1.train.Scaffold``: what a training session needs besides the model.

The init op, the readiness checks, the local init op, the summary op and the saver: each from its graph
collection, else built as TF1 builds it, when ``finalize()`` runs (``ChiefSessionCreator`` calls it).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ...framework import context
from . import variables as _variables
from .saver import get_saver_or_default


def _group(*ops: Any) -> Any:
    from ...framework.ops import apply

    return apply("group", [op for op in ops if op is not None], op_name="group_deps")


class Scaffold:
    """What ``MonitoredSession`` needs to create, initialize or restore a training session.

    Args left None are taken from the graph collections INIT_OP, READY_OP, READY_FOR_LOCAL_INIT_OP,
    LOCAL_INIT_OP, SUMMARY_OP and SAVERS by ``finalize()``, or built as TF1 builds them.
    ``init_fn(scaffold, session)`` runs after ``init_op`` when no checkpoint was restored.
    """

    def __init__(
        self,
        init_op: Any = None,
        init_feed_dict: Optional[dict] = None,
        init_fn: Optional[Callable[[Any, Any], None]] = None,
        ready_op: Any = None,
        ready_for_local_init_op: Any = None,
        local_init_op: Any = None,
        summary_op: Any = None,
        saver: Any = None,
        copy_from_scaffold: Optional[Scaffold] = None,
        local_init_feed_dict: Optional[dict] = None,
    ) -> None:
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            c = copy_from_scaffold

            def coalesce(a: Any, b: Any) -> Any:
                return a if a is not None else b

            init_op = coalesce(init_op, c.init_op)
            init_feed_dict = coalesce(init_feed_dict, c.init_feed_dict)
            init_fn = coalesce(init_fn, c._user_init_fn)
            ready_op = coalesce(ready_op, c.ready_op)
            ready_for_local_init_op = coalesce(ready_for_local_init_op, c.ready_for_local_init_op)
            local_init_op = coalesce(local_init_op, c.local_init_op)
            local_init_feed_dict = coalesce(local_init_feed_dict, c.local_init_feed_dict)
            summary_op = coalesce(summary_op, c.summary_op)
            saver = coalesce(saver, c.saver)
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._local_init_feed_dict = local_init_feed_dict
        self._summary_op = summary_op
        self._saver = saver

    def finalize(self) -> Scaffold:
        """Fills every op left None (from its collection or a default) and builds the saver."""
        from .summary_ops import merge_all

        if self._init_op is None:
            self._init_op = Scaffold.get_or_default(
                "init_op", "init_op", lambda: _group(_variables.global_variables_initializer())
            )
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default("ready_op", "ready_op", _variables.report_uninitialized_variables)
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op",
                "ready_for_local_init_op",
                lambda: _variables.report_uninitialized_variables(_variables.global_variables()),
            )
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", "local_init_op", Scaffold.default_local_init_op
            )
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default("summary_op", "summary_op", merge_all)
        if self._saver is None:
            self._saver = get_saver_or_default()
        self._saver.build()
        return self

    @property
    def init_fn(self) -> Optional[Callable[[Any], None]]:
        return self._init_fn

    @property
    def init_op(self) -> Any:
        return self._init_op

    @property
    def ready_op(self) -> Any:
        return self._ready_op

    @property
    def ready_for_local_init_op(self) -> Any:
        return self._ready_for_local_init_op

    @property
    def local_init_op(self) -> Any:
        return self._local_init_op

    @property
    def local_init_feed_dict(self) -> Optional[dict]:
        return self._local_init_feed_dict

    @property
    def summary_op(self) -> Any:
        return self._summary_op

    @property
    def saver(self) -> Any:
        return self._saver

    @property
    def init_feed_dict(self) -> Optional[dict]:
        return self._init_feed_dict

    @staticmethod
    def get_or_default(arg_name: str, collection_key: str, default_constructor: Callable[[], Any]) -> Any:
        """The one item of ``collection_key``, else ``default_constructor()`` (added to the collection)."""
        graph = context.get_default_graph()
        elements = graph.get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError(
                    f'More than one item in the collection "{collection_key}". Please indicate which one to use by '
                    f"passing it to the tf.Scaffold constructor as:  tf.Scaffold({arg_name}=item to use)"
                )
            return elements[0]
        op = default_constructor()
        if op is not None:
            graph.add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op() -> Any:
        """The op initializing the LOCAL_VARIABLES (metric accumulators), run at every session creation."""
        return _group(_variables.local_variables_initializer())
