"""The settings and inputs of a TF1 ``Saver``: ``SaverDef``, the variables to save keyed by checkpoint name,
and the wording of restore errors."""

from __future__ import annotations

from typing import Any, Dict

from ...framework.variables import Variable
from . import checkpoint_management as _cm


class SaverDef:
    """The settings of a ``Saver`` (TF1's ``SaverDef`` message, reduced to the fields ferroflow uses)."""

    V1, V2 = _cm.SAVER_V1, _cm.SAVER_V2

    def __init__(
        self,
        max_to_keep: int = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        sharded: bool = False,
        version: int = 2,
        filename_tensor_name: str = "save/Const:0",
        save_tensor_name: str = "save/control_dependency:0",
        restore_op_name: str = "save/restore_all",
    ) -> None:
        self.max_to_keep = max_to_keep
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.sharded = sharded
        self.version = version
        self.filename_tensor_name = filename_tensor_name
        self.save_tensor_name = save_tensor_name
        self.restore_op_name = restore_op_name


def _names_to_variables(var_list: Any) -> Dict[str, Variable]:
    """``{checkpoint key: variable}``: a dict as given, a list keyed by variable names (which must differ)."""
    if isinstance(var_list, dict):
        out = {}
        for key, var in var_list.items():
            if not isinstance(key, str):
                raise TypeError(f"Saver var_list keys must be strings, received {key!r}")
            if not isinstance(var, Variable):
                raise TypeError(f"Variable to save is not a Variable: {var!r}")
            out[key] = var
        return out
    out = {}
    for var in var_list:
        if not isinstance(var, Variable):
            raise TypeError(f"Variable to save is not a Variable: {var!r}")
        key = var.op.name  # the checkpoint key: the variable's op name, without ":0"
        if key in out:
            raise ValueError(f"At least two variables have the same name: {key}")
        out[key] = var
    return out


def _is_session(sess: Any) -> bool:
    from ...python.debug.wrappers.framework import BaseDebugWrapperSession
    from .session import Session

    return isinstance(sess, (Session, BaseDebugWrapperSession))


def _restore_error(cause: str, detail: str) -> str:
    return (
        f"Restoring from checkpoint failed. This is most likely due to {cause} from the checkpoint. Please "
        f"ensure that you have not altered the graph expected based on the checkpoint. Original error:\n\n{detail}"
    )
