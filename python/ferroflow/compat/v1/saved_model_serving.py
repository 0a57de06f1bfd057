"""The signatures of a TF1 SavedModel as ferroflow SavedModel graphs (``graph.json``, ``signatures/*.json``,
``weights/*.npy``), so that ``tf.saved_model.load``, the ``ferroflow-saved-model`` CLI and the Rust and C
loaders serve a directory ``Builder`` wrote without a session.

Each signature's outputs are traced back through the session graph to its inputs, which must be
placeholders; a variable read becomes a constant with the variable's value when the signature is saved.
A signature whose graph uses an op the SavedModel format cannot hold (a Python call, a lookup table, a
queue) is left out of these graphs (the directory's manifest says why) and is served by the TF1 loader only.
"""

from __future__ import annotations

from typing import Any

from ...saved_model import _format as F


class _RecordedGraph:
    """A session graph seen as ``export_graph.serialize`` reads a traced function: the native graph and,
    per node, the op name and attributes it was built from."""

    def __init__(self, graph: Any) -> None:
        self._g = graph._g
        self.op_records = {
            node: (name, dict(attrs or {}))
            for node, (name, attrs) in graph._records.items()
            if not name.startswith("__")
        }


def _node_of(graph: Any, name: str, what: str) -> int:
    try:
        tensor = graph.get_tensor_by_name(name)
    except (KeyError, ValueError) as e:
        raise ValueError(f"{what} names {name!r}, which the graph does not hold ({e})") from None
    if getattr(tensor, "value_index", 0):
        raise ValueError(f"{what} is output {tensor.value_index} of a node with several outputs")
    return tensor.node


def serving_graphs(graph: Any, signature_def_map: dict) -> dict:
    """The SavedModel graphs of ``signature_def_map`` over ``graph``: ``graphs`` (file -> document),
    ``weights`` (key -> array), ``variables`` (the manifest's variable entries), ``signatures`` (name -> file),
    ``methods`` (name -> method name) and ``unserved`` (name -> why it could not be converted)."""
    from ...models.export_graph import serialize

    view = _RecordedGraph(graph)
    weights: dict = {}
    var_keys: dict = {}
    graphs: dict = {}
    signatures: dict = {}
    methods: dict = {}
    unserved: dict = {}
    taken: set = set()
    keys = sorted(signature_def_map, key=lambda k: (k != F.DEFAULT_SERVING_SIGNATURE_DEF_KEY, k))
    for key in keys:
        signature = signature_def_map[key]
        if key.startswith("__saved_model_"):
            continue  # the init and train op entries: ops to run, not functions to serve
        methods[key] = signature.method_name
        try:
            inputs, outputs = [], []
            for name, info in sorted(signature.inputs.items()):
                if info.WhichOneof("encoding") != "name":
                    raise ValueError(f"input '{name}' is a sparse tensor")
                node = _node_of(graph, info.name, f"input '{name}'")
                if graph._g.node(node)[1] != "Placeholder" or view.op_records.get(node, ("",))[0] != "placeholder":
                    raise ValueError(f"input '{name}' ({info.name}) is not a placeholder")
                inputs.append((name, node))
            for name, info in sorted(signature.outputs.items()):
                if info.WhichOneof("encoding") != "name":
                    raise ValueError(f"output '{name}' is a sparse tensor")
                outputs.append((name, _node_of(graph, info.name, f"output '{name}'")))
            if not inputs or not outputs:
                raise ValueError("a served signature needs inputs and outputs")
            trial_weights, trial_keys = dict(weights), dict(var_keys)
            doc, _ = serialize(
                view,
                [n for _, n in inputs],
                [n for _, n in outputs],
                f"signature '{key}'",
                weights=trial_weights,
                var_keys=trial_keys,
                allowed_ops=F.SUPPORTED_OPS,
                input_names=[k for k, _ in inputs],
                output_names=[k for k, _ in outputs],
            )
            strings = [k for k, a in trial_weights.items() if a.dtype.hasobject]
            if strings:
                raise ValueError(f"string constants ({', '.join(strings)}) cannot be saved in a SavedModel graph")
        except (ValueError, TypeError) as e:
            unserved[key] = str(e)
            continue
        weights, var_keys = trial_weights, trial_keys
        if key == F.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
            rel = F.GRAPH_FILENAME
        else:
            rel = f"{F.SIGNATURES_DIRECTORY}/{F.file_name_for(key, taken)}.json"
        graphs[rel] = doc
        signatures[key] = rel
    variables = []
    for weight in var_keys.values():
        array = weights[weight]
        variables.append(
            {
                "key": weight,
                "name": weight,
                "trainable": True,
                "path": None,
                "dtype": str(array.dtype),
                "shape": list(array.shape),
            }
        )
    return {
        "graphs": graphs,
        "weights": weights,
        "variables": variables,
        "signatures": signatures,
        "methods": methods,
        "unserved": unserved,
    }
