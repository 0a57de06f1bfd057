"""``tf.compat.v1.saved_model.signature_def_utils``: ``SignatureDef``s, the named inputs and outputs (as
``TensorInfo``s) through which a server calls a TF1 SavedModel graph, and the predict, classify and regress
signatures TensorFlow Serving knows."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ...summary import _proto
from .saved_model_signature_constants import (
    CLASSIFY_INPUTS,
    CLASSIFY_METHOD_NAME,
    CLASSIFY_OUTPUT_CLASSES,
    CLASSIFY_OUTPUT_SCORES,
    PREDICT_METHOD_NAME,
    REGRESS_INPUTS,
    REGRESS_METHOD_NAME,
    REGRESS_OUTPUTS,
)
from .saved_model_utils import TensorInfo, build_tensor_info

_DT_STRING, _DT_FLOAT = 7, 1


class _TensorInfoMap(dict):
    """A protobuf map of ``TensorInfo`` messages: reading a missing key adds an empty message (so that
    ``signature.inputs["x"].CopyFrom(info)`` works), values must be ``TensorInfo``s."""

    def __missing__(self, key: str) -> TensorInfo:
        value = self[key] = TensorInfo()
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(value, TensorInfo):
            raise TypeError(f"a SignatureDef map holds TensorInfo messages, received {type(value).__name__}")
        super().__setitem__(str(key), value)


class SignatureDef:
    """TF1's ``SignatureDef`` message: ``inputs`` and ``outputs`` (maps of key -> ``TensorInfo``) and
    ``method_name``."""

    def __init__(
        self,
        inputs: Optional[Dict[str, TensorInfo]] = None,
        outputs: Optional[Dict[str, TensorInfo]] = None,
        method_name: str = "",
    ) -> None:
        self.inputs = _TensorInfoMap()
        self.outputs = _TensorInfoMap()
        self.method_name = method_name
        for key, info in (inputs or {}).items():
            self.inputs[key].CopyFrom(info)
        for key, info in (outputs or {}).items():
            self.outputs[key].CopyFrom(info)

    def CopyFrom(self, other: SignatureDef) -> None:  # noqa: N802 (protobuf's names)
        self.ParseFromString(other.SerializeToString())

    def Clear(self) -> None:  # noqa: N802
        self.inputs.clear()
        self.outputs.clear()
        self.method_name = ""

    def SerializeToString(self) -> bytes:  # noqa: N802
        out = b""
        for number, entries in ((1, self.inputs), (2, self.outputs)):
            for key in sorted(entries):
                out += _proto.f_bytes(
                    number, _proto.f_str(1, key) + _proto.f_bytes(2, entries[key].SerializeToString())
                )
        return out + (_proto.f_str(3, self.method_name) if self.method_name else b"")

    def ParseFromString(self, data: bytes) -> None:  # noqa: N802
        from .summary_proto import _wire_fields

        self.Clear()
        for number, _, raw in _wire_fields(bytes(data)):
            if number in (1, 2):
                entry = {n: v for n, _, v in _wire_fields(raw)}
                target = self.inputs if number == 1 else self.outputs
                target[bytes(entry.get(1, b"")).decode("utf-8")] = TensorInfo.FromString(entry.get(2, b""))
            elif number == 3:
                self.method_name = bytes(raw).decode("utf-8")

    @classmethod
    def FromString(cls, data: bytes) -> SignatureDef:  # noqa: N802
        out = cls()
        out.ParseFromString(data)
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SignatureDef) and self.SerializeToString() == other.SerializeToString()

    __hash__ = None  # type: ignore[assignment]  # mutable, as protobuf messages

    def __str__(self) -> str:
        lines = []
        for field, entries in (("inputs", self.inputs), ("outputs", self.outputs)):
            for key in sorted(entries):
                body = "".join("    " + line for line in str(entries[key]).splitlines(keepends=True))
                lines.append(f'{field} {{\n  key: "{key}"\n  value {{\n{body}  }}\n}}\n')
        if self.method_name:
            lines.append(f'method_name: "{self.method_name}"\n')
        return "".join(lines)

    __repr__ = __str__


def build_signature_def(
    inputs: Optional[Dict[str, TensorInfo]] = None,
    outputs: Optional[Dict[str, TensorInfo]] = None,
    method_name: Optional[str] = None,
    defaults: Any = None,
) -> SignatureDef:
    """A ``SignatureDef`` of the given ``TensorInfo`` maps and method name."""
    if defaults:
        raise NotImplementedError("build_signature_def(defaults=...) is not supported")
    return SignatureDef(inputs, outputs, method_name or "")


def predict_signature_def(inputs: Dict[str, Any], outputs: Dict[str, Any]) -> SignatureDef:
    """The ``tensorflow/serving/predict`` signature of the tensors ``inputs`` and ``outputs`` (key -> tensor)."""
    if inputs is None or not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if outputs is None or not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(
        {k: build_tensor_info(t) for k, t in inputs.items()},
        {k: build_tensor_info(t) for k, t in outputs.items()},
        PREDICT_METHOD_NAME,
    )


def _is_tensor(value: Any) -> bool:
    from ...framework.tensor import Tensor

    return isinstance(value, Tensor)


def classification_signature_def(examples: Any, classes: Any, scores: Any) -> SignatureDef:
    """The ``tensorflow/serving/classify`` signature: string ``examples`` in, string ``classes`` and/or float
    ``scores`` out."""
    if examples is None:
        raise ValueError("Classification `examples` cannot be None.")
    if not _is_tensor(examples):
        raise ValueError(
            f"Classification `examples` must be a string Tensor. Found `examples` of type {type(examples)}."
        )
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    info = build_tensor_info(examples)
    if info.dtype != _DT_STRING:
        raise ValueError(f"Classification input tensors must be of type string. Found tensors of type {info.dtype}")
    outputs = {}
    if classes is not None:
        classes_info = build_tensor_info(classes)
        if classes_info.dtype != _DT_STRING:
            raise ValueError(
                f"Classification classes must be of type string Tensor. Found tensors of type {classes_info.dtype}.`"
            )
        outputs[CLASSIFY_OUTPUT_CLASSES] = classes_info
    if scores is not None:
        scores_info = build_tensor_info(scores)
        if scores_info.dtype != _DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
        outputs[CLASSIFY_OUTPUT_SCORES] = scores_info
    return build_signature_def({CLASSIFY_INPUTS: info}, outputs, CLASSIFY_METHOD_NAME)


def regression_signature_def(examples: Any, predictions: Any) -> SignatureDef:
    """The ``tensorflow/serving/regress`` signature: string ``examples`` in, float ``predictions`` out."""
    if examples is None:
        raise ValueError("Regression `examples` cannot be None.")
    if not _is_tensor(examples):
        raise ValueError(
            f"Expected regression `examples` to be of type Tensor. Found `examples` of type {type(examples)}."
        )
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    info = build_tensor_info(examples)
    if info.dtype != _DT_STRING:
        raise ValueError(f"Regression input tensors must be of type string. Found tensors with type {info.dtype}.")
    out = build_tensor_info(predictions)
    if out.dtype != _DT_FLOAT:
        raise ValueError(f"Regression output tensors must be of type float. Found tensors with type {out.dtype}.")
    return build_signature_def({REGRESS_INPUTS: info}, {REGRESS_OUTPUTS: out}, REGRESS_METHOD_NAME)


def is_valid_signature(signature_def: Optional[SignatureDef]) -> bool:
    """Whether ``signature_def`` is a well-formed classify, regress or predict signature."""
    if signature_def is None:
        return False
    s = signature_def
    if s.method_name == PREDICT_METHOD_NAME:
        return bool(s.inputs) and bool(s.outputs)
    if s.method_name == REGRESS_METHOD_NAME:
        return (
            set(s.inputs) == {REGRESS_INPUTS}
            and s.inputs[REGRESS_INPUTS].dtype == _DT_STRING
            and set(s.outputs) == {REGRESS_OUTPUTS}
            and s.outputs[REGRESS_OUTPUTS].dtype == _DT_FLOAT
        )
    if s.method_name == CLASSIFY_METHOD_NAME:
        allowed = {CLASSIFY_OUTPUT_CLASSES: _DT_STRING, CLASSIFY_OUTPUT_SCORES: _DT_FLOAT}
        return (
            set(s.inputs) == {CLASSIFY_INPUTS}
            and s.inputs[CLASSIFY_INPUTS].dtype == _DT_STRING
            and bool(s.outputs)
            and set(s.outputs) <= set(allowed)
            and all(s.outputs[k].dtype == allowed[k] for k in s.outputs)
        )
    return False


# -- the JSON form a SavedModel directory keeps signatures in


def signature_to_json(signature: SignatureDef) -> dict:
    from .saved_model_utils import dtype_name_of_enum, shape_of_proto

    def info(t: TensorInfo) -> dict:
        entry: dict = {
            "dtype": dtype_name_of_enum(t.dtype) if t.dtype else None,
            "shape": shape_of_proto(t.tensor_shape),
        }
        if t.name:
            entry["name"] = t.name
        if t.coo_sparse.SerializeToString():
            c = t.coo_sparse
            entry["coo_sparse"] = [c.indices_tensor_name, c.values_tensor_name, c.dense_shape_tensor_name]
        return entry

    return {
        "inputs": {k: info(v) for k, v in sorted(signature.inputs.items())},
        "outputs": {k: info(v) for k, v in sorted(signature.outputs.items())},
        "method_name": signature.method_name,
    }


def signature_from_json(doc: Any, where: str) -> SignatureDef:
    from ...errors import DataLossError
    from .run_metadata import TensorShapeProto
    from .saved_model_utils import enum_of_dtype

    def info(e: Any) -> TensorInfo:
        if not isinstance(e, dict):
            raise DataLossError(f"{where}: malformed tensor info {e!r}")
        t = TensorInfo(name=str(e.get("name", "")), dtype=enum_of_dtype(e.get("dtype") or ""))
        shape = e.get("shape")
        if shape is not None and not (isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape)):
            raise DataLossError(f"{where}: malformed shape {shape!r}")
        t.tensor_shape = TensorShapeProto.of(shape)
        coo = e.get("coo_sparse")
        if isinstance(coo, list) and len(coo) == 3:
            t.coo_sparse.indices_tensor_name, t.coo_sparse.values_tensor_name = str(coo[0]), str(coo[1])
            t.coo_sparse.dense_shape_tensor_name = str(coo[2])
        return t

    if not isinstance(doc, dict) or not isinstance(doc.get("inputs"), dict) or not isinstance(doc.get("outputs"), dict):
        raise DataLossError(f"{where}: malformed signature {str(doc)[:80]}")
    return SignatureDef(
        {k: info(v) for k, v in doc["inputs"].items()},
        {k: info(v) for k, v in doc["outputs"].items()},
        str(doc.get("method_name", "")),
    )


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__all__ = [
    "build_signature_def",
    "classification_signature_def",
    "is_valid_signature",
    "predict_signature_def",
    "regression_signature_def",
]
__dir__ = _public_dir(globals())
