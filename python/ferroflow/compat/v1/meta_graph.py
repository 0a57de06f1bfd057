"""``tf.compat.v1.train.export_meta_graph`` / ``import_meta_graph``: a TF1 graph, its collections and its
saver's settings in a ``.meta`` file, and the graph rebuilt from it in another graph or process.

The file is ferroflow's own JSON document (docs/meta_graph.md), not a protocol buffer. Loading reads JSON and
makes ops by name: nothing in the file is imported, called or unpickled.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ...errors import DataLossError
from ...framework import context
from . import meta_graph_export as X
from . import meta_graph_import as M
from .meta_graph_tables import attach_tables


class MetaGraphDef:
    """A graph exported by ``export_meta_graph`` (TF1's ``MetaGraphDef``, as ferroflow's JSON document):
    ``SerializeToString()`` gives the bytes of a ``.meta`` file, ``FromString`` reads them back."""

    def __init__(self, document: Optional[dict] = None) -> None:
        self.document = document if document is not None else {}

    @property
    def meta_info_def(self) -> _MetaInfoDef:
        """The document's meta information (a dict), with ``tags`` (a SavedModel's tags for this graph)."""
        return _MetaInfoDef(self.document.get("meta_info_def") or {})

    @property
    def signature_def(self) -> dict:
        """A SavedModel meta graph's signatures: key -> ``SignatureDef`` (empty for a ``.meta`` file)."""
        cached = self.__dict__.get("_signature_def")
        if cached is None:
            from .saved_model_signature_def_utils import signature_from_json

            body = self.document.get("signature_def") or {}
            if not isinstance(body, dict):
                raise DataLossError("the MetaGraphDef: malformed signature_def")
            cached = self._signature_def = {k: signature_from_json(v, f"signature '{k}'") for k, v in body.items()}
        return cached

    @property
    def collection_def(self) -> dict:
        """The kept collections: key -> list of items (``{"tensor": node}``, ``{"variable": index}`` ...)."""
        return dict(self.document.get("collections") or {})

    @property
    def saver_def(self) -> Optional[dict]:
        return self.document.get("saver_def")

    def HasField(self, name: str) -> bool:
        return name == "saver_def" and self.saver_def is not None or name == "meta_info_def"

    def SerializeToString(self) -> bytes:
        return X.encode_file(self.document)

    @classmethod
    def FromString(cls, data: bytes) -> MetaGraphDef:
        return cls(M.parse_file(bytes(data), "the serialized MetaGraphDef"))

    def ParseFromString(self, data: bytes) -> None:
        self.document = M.parse_file(bytes(data), "the serialized MetaGraphDef")

    def __repr__(self) -> str:
        return f"<MetaGraphDef nodes={len(self.document.get('nodes') or [])}>"


class _MetaInfoDef(dict):
    """``meta_info_def``: a dict of the document's entries that also reads ``tags`` as an attribute."""

    @property
    def tags(self) -> list:
        return list(self.get("tags") or [])


def _graph_mode(what: str) -> None:
    if context.executing_eagerly():
        raise RuntimeError(
            f"Exporting/importing meta graphs is not supported when eager execution is enabled. No graph exists "
            f"when eager execution is enabled ({what}: build inside `with tf.Graph().as_default():` or call "
            "tf.compat.v1.disable_eager_execution())"
        )


def export_meta_graph(
    filename: Optional[str] = None,
    meta_info_def: Optional[dict] = None,
    graph_def: Any = None,
    saver_def: Any = None,
    collection_list: Any = None,
    as_text: bool = False,
    graph: Any = None,
    export_scope: Optional[str] = None,
    clear_devices: bool = False,
    clear_extra_attrs: bool = False,
    strip_default_attrs: bool = False,
    save_debug_info: bool = False,
    **kwargs: Any,
) -> MetaGraphDef:
    """Writes ``graph`` (the default graph) to ``filename`` if given, atomically, and returns its MetaGraphDef.

    ``saver_def`` may be the ``Saver`` whose checkpoint keys to record (``Saver.export_meta_graph`` passes
    itself). ferroflow graphs carry no device placement, so ``clear_devices`` has nothing to clear.
    """
    if graph is None:
        _graph_mode("export_meta_graph")
        graph = context.get_default_graph()
    if export_scope is not None:
        raise NotImplementedError("export_meta_graph(export_scope=...) is not supported: export the whole graph")
    if graph_def is not None:
        raise NotImplementedError("export_meta_graph(graph_def=...) is not supported: pass graph= instead")
    from .saver import Saver

    if saver_def is not None and not isinstance(saver_def, Saver):
        raise TypeError(f"saver_def must be the Saver whose variables to record, received {type(saver_def).__name__}")
    info = dict(meta_info_def or {}) if isinstance(meta_info_def, dict) else {}
    doc = X.build_document(graph, saver_def, collection_list, info)
    meta = MetaGraphDef(doc)
    if filename:
        filename = os.fspath(filename)
        parent = os.path.dirname(os.path.abspath(filename))
        os.makedirs(parent, exist_ok=True)
        X.write_file(filename, X.encode_file(doc, as_text=as_text))
    return meta


def _saver_from(body: Any, variables: dict, where: str) -> Any:
    from .saver import Saver

    if not isinstance(body, dict) or not isinstance(body.get("var_list"), list):
        raise DataLossError(f"{where}: malformed saver settings")
    var_list = {}
    for item in body["var_list"]:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and item[1] in variables):
            raise DataLossError(f"{where}: malformed saver entry {str(item)[:60]}")
        var_list[item[0]] = variables[item[1]]
    return Saver(
        var_list=var_list,
        max_to_keep=body.get("max_to_keep", 5),
        keep_checkpoint_every_n_hours=body.get("keep_checkpoint_every_n_hours", 10000.0),
        sharded=bool(body.get("sharded", False)),
        allow_empty=bool(body.get("allow_empty", False)) or not var_list,
        pad_step_number=bool(body.get("pad_step_number", False)),
        save_relative_paths=bool(body.get("save_relative_paths", False)),
    )


def import_meta_graph(
    meta_graph_or_file: Any, clear_devices: bool = False, import_scope: Optional[str] = None, **kwargs: Any
) -> Any:
    """Rebuilds a ``.meta`` file's graph (or a ``MetaGraphDef``) into the default graph, restores its
    collections, and returns a ``Saver`` over its variables (None when it has none), ready for ``restore``.

    Raises:
        tf.errors.NotFoundError: the file does not exist.
        tf.errors.DataLossError: the file is truncated, changed, or does not describe what its ops build.
    """
    _graph_mode("import_meta_graph")
    if isinstance(meta_graph_or_file, MetaGraphDef):
        doc, where = meta_graph_or_file.document, "the MetaGraphDef"
    elif isinstance(meta_graph_or_file, (bytes, bytearray)):
        doc, where = M.parse_file(bytes(meta_graph_or_file), "the serialized MetaGraphDef"), "the MetaGraphDef"
    else:
        where = os.fspath(meta_graph_or_file)
        doc = M.read_file(where)
    graph = context.get_default_graph()
    variables, rebuild = M.rebuild_into(graph, doc, where, import_scope)
    attach_tables(graph, doc, rebuild.node, where)

    def saver_from(body: Any) -> Any:
        with graph.as_default():
            return _saver_from(body, variables, where)

    collections = doc.get("collections") or {}
    if not isinstance(collections, dict):
        raise DataLossError(f"{where}: malformed collections")
    for key, items in collections.items():
        for item in items if isinstance(items, list) else []:
            graph.add_to_collection(key, M.collection_item(rebuild, variables, item, saver_from))
    if doc.get("saver_def") is not None:
        return saver_from(doc["saver_def"])
    from .saver import Saver

    with graph.as_default():
        if graph.get_collection("variables") or graph.get_collection("saveable_objects"):
            return Saver()
    return None


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("DataLossError", "attach_tables"))
