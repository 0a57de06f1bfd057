"""``tf.compat.v1.saved_model.loader.load`` (also ``tf.compat.v1.saved_model.load``): a TF1 SavedModel's meta
graph rebuilt into a session's graph, its variables restored into the session, and its main op run."""

from __future__ import annotations

import os
from typing import Any, Optional

from ...errors import DataLossError
from . import saved_model_layout as L

_INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"


def maybe_saved_model_directory(export_dir: Any) -> bool:
    """Whether ``export_dir`` holds a SavedModel (it may still fail to load)."""
    from ...saved_model import contains_saved_model

    return contains_saved_model(export_dir)


def _meta_graph_for(manifest: dict, tags: Any) -> dict:
    wanted = [tags] if isinstance(tags, str) else list(tags)
    available = []
    for entry in manifest["meta_graphs"]:
        available.append(set(entry["tags"]))
        if set(entry["tags"]) == set(wanted):
            return entry
    raise RuntimeError(
        f"MetaGraphDef associated with tags {str(wanted).strip('[]')} could not be found in SavedModel, with "
        f"available tags '{available}'. To inspect available tag-sets in the SavedModel, please use the SavedModel "
        "CLI: `ferroflow-saved-model`."
    )


def _init_op(graph: Any, meta: Any, import_scope: Optional[str]) -> Any:
    from .saved_model_utils import get_element_from_tensor_info

    signature = meta.signature_def.get(_INIT_OP_SIGNATURE_KEY)
    if signature is not None and _INIT_OP_SIGNATURE_KEY in signature.outputs:
        return get_element_from_tensor_info(signature.outputs[_INIT_OP_SIGNATURE_KEY], graph, import_scope)
    for key in (L.MAIN_OP_KEY, L.LEGACY_INIT_OP_KEY):
        ops = graph.get_collection(key)
        if ops:
            if len(ops) != 1:
                raise RuntimeError(f"Expected exactly one SavedModel init op. Found {len(ops)}: {ops}.")
            return ops[0]
    return None


def load(sess: Any, tags: Any, export_dir: Any, import_scope: Optional[str] = None, **saver_kwargs: Any) -> Any:
    """Loads the meta graph tagged ``tags`` of the SavedModel in ``export_dir`` into ``sess.graph``, restores
    its variables into ``sess`` and runs its main op (with its asset files fed). Returns the ``MetaGraphDef``:
    ``signature_def[key].inputs[name].name`` are the names of the signature's tensors in ``sess.graph``
    (prefixed by ``import_scope/`` when given).

    Raises:
        RuntimeError: no meta graph has exactly these tags.
        tf.errors.NotFoundError: ``export_dir`` holds no SavedModel (an ``OSError``, as TensorFlow's IOError).
        tf.errors.DataLossError: a file of the SavedModel is changed, truncated or malformed.
    """
    from .meta_graph import MetaGraphDef, import_meta_graph
    from .meta_graph_import import read_file

    export_dir = os.fsdecode(export_dir)
    manifest = L.read_manifest(export_dir)
    entry = _meta_graph_for(manifest, tags)
    doc = read_file(os.path.join(export_dir, *entry["file"].split("/")))
    meta = MetaGraphDef(doc)
    graph = sess.graph
    with graph.as_default():
        saver = import_meta_graph(meta, import_scope=import_scope, **saver_kwargs)
        prefix = os.path.join(export_dir, *str(manifest.get("variables_prefix", L.VARIABLES_PREFIX)).split("/"))
        if saver is not None:
            saver.restore(sess, prefix)
        feeds = {}
        for asset in doc.get("asset_file_def") or []:
            if not isinstance(asset, dict) or not isinstance(asset.get("filename"), str):
                raise DataLossError(f"{entry['file']}: malformed asset entry {str(asset)[:80]}")
            name = asset["tensor_name"] if not import_scope else f"{import_scope.rstrip('/')}/{asset['tensor_name']}"
            feeds[name] = os.path.join(export_dir, "assets", os.path.basename(asset["filename"]))
        init = _init_op(graph, meta, import_scope)
        if init is not None:
            sess.run([init], feed_dict=feeds or None)
    return MetaGraphDef(doc)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__all__ = ["load", "maybe_saved_model_directory"]
__dir__ = _public_dir(globals())
