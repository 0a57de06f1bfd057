"""``ferroflow-saved-model run``: feeds a signature from ``.npy``/``.npz`` files (``--inputs``) or NumPy
expressions (``--input_exprs``, read safely) and prints or saves its outputs, as ``saved_model_cli run`` does."""

from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np

from ._input_exprs import evaluate


def _pairs(text: str, option: str) -> list:
    """``"x=a.npy;y=b.npy"`` -> ``[("x", "a.npy"), ("y", "b.npy")]``."""
    out = []
    for item in text.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f'--{option} must be of the form "<input_key>=<value>[;...]", received {item!r}')
        out.append((key.strip(), value.strip()))
    return out


def _load_file(spec: str) -> np.ndarray:
    """``file.npy``, ``file.npz`` (holding one array) or ``file.npz[name]``; never unpickles."""
    name = None
    if spec.endswith("]") and "[" in spec:
        spec, name = spec[:-1].split("[", 1)
    try:
        loaded = np.load(spec, allow_pickle=False)
    except FileNotFoundError:
        raise ValueError(f"input file {spec!r} does not exist") from None
    except (ValueError, OSError, EOFError) as e:
        raise ValueError(f"cannot read input file {spec!r} as .npy or .npz (pickled files are refused): {e}") from None
    if isinstance(loaded, np.ndarray):
        if name is not None:
            raise ValueError(f"{spec} is a .npy file: it holds one array, so [{name}] does not apply")
        return loaded
    with loaded:
        keys = list(loaded.keys())
        if name is None:
            if len(keys) != 1:
                raise ValueError(f"{spec} holds {len(keys)} arrays ({', '.join(keys)}): name one as {spec}[name]")
            name = keys[0]
        if name not in keys:
            raise ValueError(f"{spec} has no array {name!r}; it holds {', '.join(keys)}")
        return loaded[name]


def _cast(array: np.ndarray, spec: Any, key: str) -> np.ndarray:
    """The fed array in the input's dtype, when NumPy casts it without changing its kind (float64 -> float32,
    int -> float), as a session feed converts; otherwise the value is passed on and the signature refuses it."""
    target = np.dtype(spec.dtype.as_numpy_dtype)
    if array.dtype == target:
        return array
    same_kind = np.can_cast(array.dtype, target, casting="same_kind")
    int_to_float = array.dtype.kind in "iub" and target.kind == "f"
    return array.astype(target) if same_kind or int_to_float else array


def feeds(signature: Any, inputs: str, input_exprs: str) -> dict:
    specs = signature.structured_input_signature[1]
    fed: dict = {}
    for option, text, read in (("inputs", inputs, _load_file), ("input_exprs", input_exprs, evaluate)):
        for key, value in _pairs(text or "", option):
            if key not in specs:
                raise ValueError(f'"{key}" is not a valid input key. Please choose from {", ".join(map(repr, specs))}')
            if key in fed:
                raise ValueError(f'input key "{key}" is given more than once')
            fed[key] = _cast(np.asarray(read(value)), specs[key], key)
    return fed


def run(saved: Any, key: str, inputs: str, input_exprs: str, outdir: Any, overwrite: bool, out: Callable) -> None:
    from ._cli_show import signature_not_found
    from ._load import load

    if key not in saved.signatures:
        raise signature_not_found(saved, key)
    if not inputs and not input_exprs:
        raise ValueError("give the signature's inputs with --inputs and/or --input_exprs")
    signature = load(saved.path).signatures[key]
    results = signature(**feeds(signature, inputs, input_exprs))
    for name in sorted(results):
        value = results[name].numpy()
        if outdir is None:
            out(f"Result for output key {name}:")
            out(str(value))
            continue
        os.makedirs(outdir, exist_ok=True)
        path = os.path.join(outdir, name + ".npy")
        if os.path.exists(path) and not overwrite:
            raise RuntimeError(
                f'Output file {path} already exists. Add "--overwrite" flag to overwrite existing output files.'
            )
        np.save(path, value, allow_pickle=False)
        out(f"Output {name} is saved to {path}")
