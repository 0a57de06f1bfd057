"""``Estimator.export_saved_model``: the PREDICT model as a SavedModel in ``tf.saved_model``'s format.

Each signature (a key of the spec's ``export_outputs``) is a function traced by ``tf.saved_model.save``: it
calls the ``serving_input_receiver_fn`` (its placeholders become the signature's inputs) and the ``model_fn``
in PREDICT mode, gives the model's variables their checkpoint values, and returns the export output's tensors.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from typing import Any, Callable, Dict, Iterator, List, Optional

from ..framework import context
from ..framework.graph import Graph
from ..framework.tensor_spec import TensorSpec
from .export.receivers import ServingInputReceiver, TensorServingInputReceiver
from .mode_keys import ModeKeys
from .model_fn import get_export_outputs

log = logging.getLogger("ferroflow.estimator")


@contextlib.contextmanager
def _placeholders(replacements: Optional[List[Any]], made: List[Any]) -> Iterator[None]:
    """Within: ``tf.compat.v1.placeholder`` calls are logged in ``made``; with ``replacements``, the k-th call
    returns ``replacements[k]`` instead of a new placeholder."""
    from ..compat import v1

    original = v1.placeholder

    def placeholder(dtype: Any, shape: Any = None, name: Optional[str] = None) -> Any:
        if replacements is None:
            out = original(dtype, shape=shape, name=name)
        else:
            if len(made) >= len(replacements):
                raise ValueError("serving_input_receiver_fn made more placeholders than when it was first called")
            out = replacements[len(made)]
        made.append(out)
        return out

    v1.placeholder = placeholder
    try:
        yield
    finally:
        v1.placeholder = original


def _check_receiver(receiver: Any) -> Any:
    if not isinstance(receiver, (ServingInputReceiver, TensorServingInputReceiver)):
        raise TypeError(
            "serving_input_receiver_fn must return a tf.estimator.export.ServingInputReceiver or "
            f"TensorServingInputReceiver, it returned {type(receiver).__name__}: {receiver!r:.200}"
        )
    return receiver


def _timestamped_dir(export_dir_base: str) -> str:
    for _ in range(10):
        export_dir = os.path.join(export_dir_base, str(int(time.time())))
        if not os.path.exists(export_dir):
            return export_dir
        time.sleep(1)
    raise RuntimeError("Failed to obtain a unique export directory name after 10 attempts.")


def export_saved_model(
    estimator: Any,
    export_dir_base: Any,
    serving_input_receiver_fn: Callable,
    assets_extra: Optional[dict],
    checkpoint_path: Optional[str],
    mode: str,
) -> bytes:
    from .. import saved_model
    from ..framework.function import function
    from ..framework.module import Module
    from ..train import list_variables, load_variable

    if mode != ModeKeys.PREDICT:
        raise ValueError(f"Only ModeKeys.PREDICT ({ModeKeys.PREDICT!r}) graphs can be exported; given {mode!r}")
    checkpoint_path = checkpoint_path or estimator.latest_checkpoint()
    if not checkpoint_path:
        settings = estimator._warm_start_settings
        if not settings:
            raise ValueError(f"Couldn't find trained model at {estimator.model_dir}.")
        checkpoint_path = settings.ckpt_to_initialize_from
        if os.path.isdir(checkpoint_path):
            from ..train import latest_checkpoint

            checkpoint_path = latest_checkpoint(checkpoint_path)
    stored = {name for name, _ in list_variables(checkpoint_path)}

    # First call: which placeholders the receiver makes, and which of them are the signature's inputs.
    made: List[Any] = []
    with Graph().as_default(), _placeholders(None, made):
        probe = _check_receiver(serving_input_receiver_fn())
        spec_keys = _signature_keys(estimator, probe)
    keys = list(probe.receiver_tensors)
    order = []
    for key in keys:
        index = next((i for i, p in enumerate(made) if p is probe.receiver_tensors[key]), None)
        if index is None:
            raise ValueError(f"receiver tensor {key!r} is not a tf.compat.v1.placeholder the receiver function made")
        order.append(index)
    specs = [TensorSpec(probe.receiver_tensors[k].shape, probe.receiver_tensors[k].dtype, name=k) for k in keys]

    def signature(signature_key: str) -> Callable:
        def serve(*args: Any) -> Dict[str, Any]:
            replacements: List[Any] = [None] * len(made)
            for arg, index in zip(args, order):
                replacements[index] = arg
            with _placeholders(replacements, []):
                receiver = _check_receiver(serving_input_receiver_fn())
            spec, variables = _call_predict(estimator, receiver)
            _load_values(variables, checkpoint_path, stored, load_variable)
            outputs = get_export_outputs(spec.export_outputs, spec.predictions)
            return _servable(outputs[signature_key].as_signature_outputs(), signature_key)

        serve.__name__ = signature_key
        return function(serve, input_signature=specs)

    module = Module()
    signatures = {key: signature(key) for key in spec_keys}
    export_dir = _timestamped_dir(os.fsdecode(export_dir_base))
    temp_dir = os.path.join(os.path.dirname(export_dir), "temp-" + os.path.basename(export_dir))
    try:
        saved_model.save(module, temp_dir, signatures=signatures)
    except ValueError as error:
        shutil.rmtree(temp_dir, ignore_errors=True)
        hint = ""
        if "parse_feature" in str(error):
            hint = (
                " The tf.Example parsing of build_parsing_serving_input_receiver_fn cannot be saved in this format "
                "yet; export with build_raw_serving_input_receiver_fn (the features as inputs) instead."
            )
        raise ValueError(f"export_saved_model: {error}{hint}") from error
    if assets_extra:
        for dest_relative, source in assets_extra.items():
            dest = os.path.join(temp_dir, "assets.extra", dest_relative)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(source, dest)
    os.rename(temp_dir, export_dir)
    log.info("SavedModel written to: %s", export_dir)
    return os.fsencode(export_dir)


def _servable(outputs: Dict[str, Any], signature_key: str) -> Dict[str, Any]:
    """The signature's outputs without string tensors (class names), which the SavedModel format cannot hold."""
    kept = {k: v for k, v in outputs.items() if v.dtype.name != "string"}
    dropped = sorted(set(outputs) - set(kept))
    if dropped:
        log.warning("Signature %r: string outputs %s are left out of the SavedModel.", signature_key, dropped)
    return kept


def _features_of(receiver: Any) -> Any:
    return receiver.features


def _signature_keys(estimator: Any, receiver: Any) -> List[str]:
    """The export output keys of the PREDICT spec, built once in the probe graph."""
    from ..compat import v1

    g = context.get_default_graph()
    v1.set_random_seed(estimator._config.tf_random_seed)
    estimator._create_and_assert_global_step(g)
    spec = estimator._call_model_fn(_features_of(receiver), None, ModeKeys.PREDICT, estimator.config)
    keys = []
    for key, output in sorted(get_export_outputs(spec.export_outputs, spec.predictions).items()):
        if any(t.dtype.name != "string" for t in output.as_signature_outputs().values()):
            keys.append(key)
        else:
            log.warning("Signature %r has only string outputs; the SavedModel format cannot hold it.", key)
    if "serving_default" not in keys:
        raise ValueError("The serving_default signature has only string outputs; it cannot be exported.")
    return keys


def _call_predict(estimator: Any, receiver: Any) -> Any:
    """The PREDICT spec built in the signature's trace, and the variables it reads."""
    from ..compat import v1

    seen: List[Any] = []

    def observe(variable: Any) -> None:
        if all(v is not variable for v in seen):
            seen.append(variable)

    g = context.get_default_graph()
    v1.set_random_seed(estimator._config.tf_random_seed)
    observers = context.read_observers()
    observers.append(observe)
    try:
        if v1.train.get_global_step(g) is None:
            estimator._create_and_assert_global_step(g)
        spec = estimator._call_model_fn(_features_of(receiver), None, ModeKeys.PREDICT, estimator.config)
    finally:
        observers.remove(observe)
    return spec, seen


def _load_values(variables: List[Any], checkpoint_path: str, stored: set, load_variable: Callable) -> None:
    missing = [v.name for v in variables if _base(v.op.name) not in stored]
    if missing:
        raise ValueError(
            "Could not load all requested variables from checkpoint. Please make sure your model_fn does not expect "
            "variables that were not saved in the checkpoint.\n\nEncountered error with mode `infer` while restoring "
            f"checkpoint from: `{checkpoint_path}`: the checkpoint lacks {missing}"
        )
    with context.eager_scope():
        for var in variables:
            var.assign(load_variable(checkpoint_path, _base(var.op.name)))


def _base(name: str) -> str:
    return name[:-2] if name.endswith(":0") else name
