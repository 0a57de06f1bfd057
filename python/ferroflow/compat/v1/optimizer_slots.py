"""TF1 names for the state of a TF1 optimizer, so that ``Saver`` saves and restores it like TF1's slots.

The update rules come from a Keras optimizer whose state variables (``w_momentum``, ``iteration`` ...)
live outside the graph. Registering them in the graph's GLOBAL_VARIABLES under TF1's slot names
(``w/Adam``, ``w/Adam_1``, ``w/Momentum``; ``Adam/iteration`` for the step count) lets a checkpoint
carry them, so training resumed from a checkpoint continues exactly as if it had not stopped.
"""

from __future__ import annotations

from typing import Any, List


def register_slots(graph: Any, opt_name: str, keras: Any, variables: List[Any]) -> None:
    """Names ``keras``'s state variables after TF1's slots and adds them to ``graph``'s GLOBAL_VARIABLES."""
    from ...optimizers._state import slot_base
    from .meta_graph_encode import snapshot

    taken = {v.op.name for v in graph.get_collection("variables")}

    def unique(name: str) -> str:
        out, n = name, 1
        while out in taken:
            out, n = f"{name}_{n}", n + 1
        taken.add(out)
        return out

    # Keras names a slot "<slot_base of its variable>_<slot>": the longest matching variable owns it.
    prefixes = [(slot_base(v) + "_", v) for v in variables]
    prefixes.sort(key=lambda p: -len(p[0]))
    per_var: dict = {}
    for state in keras.variables:
        owner = next((v for prefix, v in prefixes if state.name.startswith(prefix)), None)
        if state is getattr(keras, "iterations", None) or owner is None:
            base = f"{opt_name}/{state.name.rsplit('/', 1)[-1]}"
        else:
            k = per_var.get(id(owner), 0)
            per_var[id(owner)] = k + 1
            base = f"{owner.op.name}/{opt_name}" + (f"_{k}" if k else "")
        state._name = unique(base)
        state._name_suffix = ":0"  # a TF1 slot variable now (``w/Adam:0``)
        # Its starting value, which a graph rebuilt by import_meta_graph initializes it to (meta_graph_export).
        state._meta_initial = snapshot(state.numpy())
        graph.add_to_collection("variables", state)
