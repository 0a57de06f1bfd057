"""``tf.compat.v1.saved_model.Builder`` (``builder.SavedModelBuilder``) and ``simple_save``: a TF1 session's
graphs and variables as a SavedModel directory.

The first meta graph is added with the session's variables (``add_meta_graph_and_variables``), later ones
share them (``add_meta_graph``); ``save()`` writes the directory. Files are written to a temporary sibling
directory and renamed into place, so the export directory never holds half a SavedModel. The directory
is ferroflow's SavedModel format (docs/saved_model.md) plus the TF1 parts: each meta graph as a ``.meta``
file (docs/meta_graph.md) and the variables as a checkpoint, which ``loader.load`` restores into a session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from typing import Any, Optional

from ...framework.graph import Operation
from ...saved_model import _format as F
from . import saved_model_layout as L
from .saved_model_signature_def_utils import SignatureDef, predict_signature_def, signature_to_json

_INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
_TRAIN_OP_SIGNATURE_KEY = "__saved_model_train_op"


class SavedModelBuilder:
    """Builds a SavedModel of one or more meta graphs of TF1 graphs that share one set of variables and
    assets. See ``add_meta_graph_and_variables``, ``add_meta_graph`` and ``save``."""

    def __init__(self, export_dir: Any) -> None:
        self._export_dir = os.fspath(export_dir)
        if os.path.exists(self._export_dir):
            if not os.path.isdir(self._export_dir) or os.listdir(self._export_dir):
                raise AssertionError(
                    f"Export directory {self._export_dir} already exists, and isn't empty. Please choose a different "
                    "export directory, or delete all the contents of the specified directory."
                )
        else:
            os.makedirs(self._export_dir)
        self._has_saved_variables = False
        self._meta_graphs: list = []  # (tags, meta graph document)
        self._serving: Optional[dict] = None
        self._assets: dict = {}  # file name in assets/ -> source path
        parent = os.path.dirname(os.path.abspath(self._export_dir))
        self._stage = tempfile.mkdtemp(prefix=".saved_model-", dir=parent)
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._stage, True)

    # -- checks
    @staticmethod
    def _validate_tensor_info(tensor_info: Any) -> None:
        if tensor_info is None:
            raise AssertionError(
                "All TensorInfo protos used in the SignatureDefs must have the name and dtype fields set."
            )
        if tensor_info.WhichOneof("encoding") is None:
            raise AssertionError(
                f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the SignatureDefs must have one "
                "of the 'encoding' fields (e.g., name or coo_sparse) set."
            )
        if tensor_info.dtype == 0:
            raise AssertionError(
                f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the SignatureDefs must have the "
                "dtype field set."
            )

    def _validate_signature_def_map(self, signature_def_map: dict) -> None:
        for key, signature in signature_def_map.items():
            if not isinstance(signature, SignatureDef):
                raise TypeError(
                    f"signature_def_map['{key}'] must be a SignatureDef, received {type(signature).__name__}"
                )
            for info in list(signature.inputs.values()) + list(signature.outputs.values()):
                self._validate_tensor_info(info)
        if _INIT_OP_SIGNATURE_KEY in signature_def_map:
            raise KeyError(
                f'SignatureDef map key "{_INIT_OP_SIGNATURE_KEY}" is reserved for initialization. Please use a '
                "different key."
            )
        if _TRAIN_OP_SIGNATURE_KEY in signature_def_map:
            raise KeyError(
                f'SignatureDef map key "{_TRAIN_OP_SIGNATURE_KEY}" is reserved for the train op. Please use a '
                "different key."
            )

    # -- collections
    def _add_main_op(self, graph: Any, main_op: Any) -> None:
        if main_op is None:
            return
        if not isinstance(main_op, Operation) and not (hasattr(main_op, "op") and hasattr(main_op, "graph")):
            raise TypeError(f"Expected {main_op} to be an Operation but got type {type(main_op)} instead.")
        for key in (L.MAIN_OP_KEY, L.LEGACY_INIT_OP_KEY):
            if graph.get_collection(key):
                raise ValueError(f"Graph already contains one or more main ops under the collection {key}.")
        graph.add_to_collection(L.MAIN_OP_KEY, main_op)

    def _add_assets(self, graph: Any, assets_collection: Any) -> list:
        """Copies the asset files into the staged directory; returns their ``asset_file_def`` entries."""
        entries = []
        for tensor in assets_collection or []:
            source = L.asset_path_of(graph, tensor)
            name = os.path.basename(source)
            stem, n = name, 1
            while name in self._assets and self._assets[name] != source:
                name, n = f"{stem}_{n}", n + 1
            if name not in self._assets:
                if not os.path.isfile(source):
                    raise ValueError(f"Asset filepath tensor {tensor} in is invalid: {source!r} is not a file")
                os.makedirs(os.path.join(self._stage, F.ASSETS_DIRECTORY), exist_ok=True)
                shutil.copyfile(source, os.path.join(self._stage, F.ASSETS_DIRECTORY, name))
                self._assets[name] = source
            entries.append({"tensor_name": tensor.name, "filename": name})
        return entries

    def _add(
        self,
        graph: Any,
        sess: Any,
        tags: Any,
        signature_def_map: Any,
        assets_collection: Any,
        main_op: Any,
        clear_devices: bool,
        saver: Any,
    ) -> None:
        from .meta_graph import export_meta_graph
        from .saver import Saver

        signature_def_map = dict(signature_def_map or {})
        self._validate_signature_def_map(signature_def_map)
        tags = [tags] if isinstance(tags, str) else list(tags)
        with graph.as_default():
            assets = self._add_assets(graph, assets_collection)
            self._add_main_op(graph, main_op)
            if saver is None:
                saver = Saver(sharded=True, allow_empty=True)
            if sess is not None:
                os.makedirs(os.path.join(self._stage, L.VARIABLES_DIRECTORY), exist_ok=True)
                saver.save(
                    sess, os.path.join(self._stage, L.VARIABLES_PREFIX), write_meta_graph=False, write_state=False
                )
            meta = export_meta_graph(graph=graph, saver_def=saver, clear_devices=clear_devices)
        doc = meta.document
        doc["meta_info_def"]["tags"] = tags
        doc["signature_def"] = {k: signature_to_json(s) for k, s in sorted(signature_def_map.items())}
        doc["asset_file_def"] = assets
        if sess is not None:
            from .saved_model_serving import serving_graphs

            self._serving = serving_graphs(graph, signature_def_map)
            self._serving["tags"] = tags
        self._meta_graphs.append((tags, doc))

    # -- the API
    def add_meta_graph_and_variables(
        self,
        sess: Any,
        tags: Any,
        signature_def_map: Optional[dict] = None,
        assets_collection: Any = None,
        legacy_init_op: Any = None,
        clear_devices: bool = False,
        main_op: Any = None,
        strip_default_attrs: bool = False,
        saver: Any = None,
    ) -> None:
        """Adds ``sess.graph`` as the first meta graph, tagged ``tags``, and saves the session's variables (all
        global variables, or ``saver``'s). ``main_op`` (or ``legacy_init_op``) runs after the variables are
        restored on load; ``assets_collection`` lists string constants naming files to copy into ``assets/``."""
        if self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has already been saved. Please invoke "
                "`add_meta_graph()` instead."
            )
        self._add(
            sess.graph,
            sess,
            tags,
            signature_def_map,
            assets_collection,
            main_op or legacy_init_op,
            clear_devices,
            saver,
        )
        self._has_saved_variables = True

    def add_meta_graph(
        self,
        tags: Any,
        signature_def_map: Optional[dict] = None,
        assets_collection: Any = None,
        legacy_init_op: Any = None,
        clear_devices: bool = False,
        main_op: Any = None,
        strip_default_attrs: bool = False,
        saver: Any = None,
    ) -> None:
        """Adds the default graph as another meta graph, tagged ``tags``, over the variables saved by
        ``add_meta_graph_and_variables``."""
        if not self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has not been saved yet. Please invoke "
                "`add_meta_graph_and_variables()` first."
            )
        from ...framework import context

        main_op = main_op if main_op is not None else legacy_init_op
        self._add(
            context.get_default_graph(), None, tags, signature_def_map, assets_collection, main_op, clear_devices, saver
        )

    def save(self, as_text: bool = False) -> bytes:
        """Writes the SavedModel into the export directory (atomically); returns the path of its manifest."""
        L.write(self._export_dir, self._stage, self._meta_graphs, self._serving, as_text)
        return os.path.join(self._export_dir, F.MANIFEST_FILENAME).encode()


Builder = SavedModelBuilder


def simple_save(session: Any, export_dir: Any, inputs: dict, outputs: dict, legacy_init_op: Any = None) -> None:
    """Saves ``session``'s graph and variables for serving: one ``serving_default`` predict signature of the
    ``inputs`` and ``outputs`` tensors, tagged ``serve``."""
    from ...framework import context

    with session.graph.as_default():
        signature_def_map = {F.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature_def(inputs, outputs)}
        assets = context.get_default_graph().get_collection("asset_filepaths")
    b = SavedModelBuilder(export_dir)
    b.add_meta_graph_and_variables(
        session,
        tags=[F.SERVING],
        signature_def_map=signature_def_map,
        assets_collection=assets,
        main_op=legacy_init_op,
        clear_devices=True,
    )
    b.save()


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__all__ = ["SavedModelBuilder"]
__dir__ = _public_dir(globals())
