"""``ferroflow-saved-model show``: what a SavedModel holds, printed in ``saved_model_cli show``'s layout.

It reads the directory's JSON files only (checked as ``tf.saved_model.load`` checks them); nothing is run.
"""

from __future__ import annotations

from typing import Any, Callable

from ..framework.tensor_spec import TensorSpec
from . import _format as F
from ._read import SavedDirectory
from ._save import dotted


def _tensor_info(entry: dict, out: Callable, indent: str) -> None:
    shape = entry["shape"]
    text = "unknown_rank" if shape is None else "(" + ", ".join(str(-1 if d is None else d) for d in shape) + ")"
    out(f"{indent}    dtype: {F.dtype_display_name(entry['dtype'])}")
    out(f"{indent}    shape: {text}")
    out(f"{indent}    name: {entry['node_name']}:0")


def _entries(saved: SavedDirectory, rel: str, kind: str) -> list:
    doc = saved.graph(rel)
    return [
        dict(
            e,
            dtype=doc["nodes"][e["node"]]["dtype"],
            shape=doc["nodes"][e["node"]]["shape"],
            node_name=doc["nodes"][e["node"]]["name"],
        )
        for e in doc[kind]
    ]


def signature_not_found(saved: SavedDirectory, key: str) -> ValueError:
    return ValueError(f'Could not find signature "{key}". Please choose from: {", ".join(saved.signatures)}')


def show_signature(saved: SavedDirectory, key: str, out: Callable, indent: str = "") -> None:
    if key not in saved.signatures:
        raise signature_not_found(saved, key)
    rel = saved.signatures[key]
    out(f"{indent}The given SavedModel SignatureDef contains the following input(s):")
    for e in sorted(_entries(saved, rel, "inputs"), key=lambda e: e["name"]):
        out(f"{indent}  inputs['{e['name']}'] tensor_info:")
        _tensor_info(e, out, indent + "  ")
    out(f"{indent}The given SavedModel SignatureDef contains the following output(s):")
    for e in sorted(_entries(saved, rel, "outputs"), key=lambda e: e["name"]):
        out(f"{indent}  outputs['{e['name']}'] tensor_info:")
        _tensor_info(e, out, indent + "  ")
    method = (saved.manifest.get("signature_methods") or {}).get(key) or F.PREDICT_METHOD_NAME
    out(f"{indent}Method name is: {method}")


def check_tag_set(saved: SavedDirectory, tag_set: str) -> None:
    tags = sorted(t.strip() for t in tag_set.split(",") if t.strip())
    if tags != sorted(saved.tags):
        raise RuntimeError(
            f"MetaGraphDef associated with tag-set {','.join(tags)} could not be found in the SavedModel; "
            f"its tag-set is {','.join(saved.tags)}"
        )


def _print_args(arguments: Any, kind: str, out: Callable) -> None:
    """The arguments of one trace, as saved_model_cli's ``_print_args`` prints them."""
    for index, element in enumerate(arguments, 1):
        out(f"        {kind} #{index}")
        if isinstance(element, str) and kind == "Named Argument":
            out(f"          {element}")
        elif isinstance(element, TensorSpec):
            out(f"          {element.name}: {element!r}")
        else:
            out(f"          DType: {type(element).__name__}")
            out(f"          Value: {element!r}")


def _show_functions(saved: SavedDirectory, out: Callable) -> None:
    functions = saved.manifest["functions"]
    if not functions:
        return
    out("\nConcrete Functions:")
    for number, entry in enumerate(sorted(functions, key=lambda e: str(e.get("path")))):
        # saved_model_cli separates the functions by a blank line, and lists only traces with arguments.
        out(("\n" if number else "") + f"  Function Name: '{dotted(entry['path'])}'")
        for index, trace in enumerate(entry["traces"], 1):
            doc = saved.graph(trace["graph"])
            specs = [
                TensorSpec(doc["nodes"][e["node"]]["shape"], doc["nodes"][e["node"]]["dtype"], name=e["name"])
                for e in doc["inputs"]
            ]
            args = [F.decode_structure(a, specs, "function") for a in trace["args"]]
            kwargs = {k: F.decode_structure(v, specs, "function") for k, v in trace["kwargs"].items()}
            if args:
                out(f"    Option #{index}")
                out("      Callable with:")
                _print_args(args, "Argument", out)
            if kwargs:
                _print_args(list(kwargs), "Named Argument", out)


def show_all(saved: SavedDirectory, out: Callable) -> None:
    out(f"\nMetaGraphDef with tag-set: '{', '.join(saved.tags)}' contains the following SignatureDefs:")
    for key in sorted(saved.signatures):
        out(f"\nsignature_def['{key}']:")
        show_signature(saved, key, out, indent="  ")
    ops = set()
    rels = list(saved.signatures.values()) + [t["graph"] for f in saved.manifest["functions"] for t in f["traces"]]
    for rel in rels:
        ops.update(n["op"] for n in saved.graph(rel)["nodes"])
    listed = "{" + ", ".join(repr(op) for op in sorted(ops)) + "}"
    out(f"The MetaGraph with tag set {saved.tags} contains the following ops: {listed}")
    _show_functions(saved, out)


def show(saved: SavedDirectory, tag_set: Any, signature_def: Any, all_: bool, out: Callable) -> None:
    if all_:
        show_all(saved, out)
    elif tag_set is None:
        out("The given SavedModel contains the following tag-sets:")
        out(", ".join(f"'{t}'" for t in saved.tags))
    else:
        check_tag_set(saved, tag_set)
        if signature_def is None:
            out("The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:")
            for key in sorted(saved.signatures):
                out(f'SignatureDef key: "{key}"')
        else:
            show_signature(saved, signature_def, out)
