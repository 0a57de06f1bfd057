"""``tf.saved_model.Asset``, ``SaveOptions`` and ``LoadOptions``."""

from __future__ import annotations

import os
from typing import Any, Optional


class Asset:
    """``tf.saved_model.Asset(path)``: a file (a vocabulary, say) that ``tf.saved_model.save`` copies into the
    SavedModel's ``assets/`` directory; after ``tf.saved_model.load``, ``asset_path`` names the copy."""

    def __init__(self, path: Any) -> None:
        if isinstance(path, Asset):
            path = path._path
        elif hasattr(path, "numpy"):
            path = path.numpy()
        if isinstance(path, bytes):
            path = path.decode("utf-8")
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"Asset path must be a string or a path-like object, received {type(path).__name__}")
        self._path = os.fspath(path)

    @property
    def asset_path(self) -> Any:
        """The file's path, as a scalar string tensor (as in TensorFlow)."""
        from ..framework.ops import convert_to_tensor

        return convert_to_tensor(self._path)

    def __repr__(self) -> str:
        return f"<tf.saved_model.Asset path={self._path!r}>"


class SaveOptions:
    """``tf.saved_model.SaveOptions``: accepted for compatibility; ferroflow writes one format whatever they
    say, except ``extra_tags``, which join the ``serve`` tag in the saved tag set."""

    def __init__(
        self,
        namespace_whitelist: Any = None,
        save_debug_info: bool = False,
        function_aliases: Optional[dict] = None,
        experimental_debug_stripper: bool = False,
        experimental_io_device: Any = None,
        experimental_variable_policy: Any = None,
        experimental_custom_gradients: bool = True,
        experimental_image_format: bool = False,
        experimental_skip_saver: bool = False,
        experimental_sharding_callback: Any = None,
        extra_tags: Any = None,
    ) -> None:
        self.namespace_whitelist = namespace_whitelist
        self.save_debug_info = save_debug_info
        self.function_aliases = dict(function_aliases or {})
        self.experimental_debug_stripper = experimental_debug_stripper
        self.experimental_io_device = experimental_io_device
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_custom_gradients = experimental_custom_gradients
        self.experimental_image_format = experimental_image_format
        self.experimental_skip_saver = experimental_skip_saver
        self.experimental_sharding_callback = experimental_sharding_callback
        self.extra_tags = list(extra_tags or [])


class LoadOptions:
    """``tf.saved_model.LoadOptions``: accepted for compatibility. With ``experimental_skip_checkpoint`` the
    variables keep the values the graphs were saved with all the same (they are the same files)."""

    def __init__(
        self,
        allow_partial_checkpoint: bool = False,
        experimental_io_device: Any = None,
        experimental_skip_checkpoint: bool = False,
        experimental_variable_policy: Any = None,
        experimental_load_function_aliases: bool = False,
    ) -> None:
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_load_function_aliases = experimental_load_function_aliases
