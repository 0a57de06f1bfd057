"""``LambdaCallback``: a callback built from plain functions."""

from __future__ import annotations

from typing import Any, Callable, Optional

from .callback import Callback

Hook = Optional[Callable[..., Any]]


class LambdaCallback(Callback):
    """Callback for creating simple, custom callbacks on-the-fly, like Keras's.

    Each argument replaces the hook of the same name and is called with the same positional
    arguments: ``on_epoch_begin(epoch, logs)``, ``on_train_begin(logs)``,
    ``on_train_batch_end(batch, logs)`` ... Other hooks (``on_test_begin``,
    ``on_predict_batch_end``, ``on_batch_end`` ...) can be given as keyword arguments.

    Example::

        LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(
        self,
        on_epoch_begin: Hook = None,
        on_epoch_end: Hook = None,
        on_train_begin: Hook = None,
        on_train_end: Hook = None,
        on_train_batch_begin: Hook = None,
        on_train_batch_end: Hook = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
        }
        for name, fn in hooks.items():
            if fn is not None:
                setattr(self, name, fn)
