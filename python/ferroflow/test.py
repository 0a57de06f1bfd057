"""``tf.test``: what a program asks about the build and its devices before choosing where to run.

Every build carries the CUDA backend, loaded at run time: ``is_built_with_cuda()`` is true everywhere, and
``is_gpu_available()`` says whether this machine has a usable GPU.
"""

from __future__ import annotations

from typing import Optional

from ferroflow._api import public_dir as _public_dir


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Optional[tuple] = None) -> bool:
    """Whether a GPU (a CUDA one with at least ``min_cuda_compute_capability``, if given) can be used.
    Deprecated in TensorFlow in favour of ``tf.config.list_physical_devices('GPU')``."""
    from . import config

    gpus = config.list_physical_devices("GPU")
    if min_cuda_compute_capability is None:
        return bool(gpus)
    wanted = tuple(min_cuda_compute_capability)
    return any(config.experimental.get_device_details(g)["compute_capability"] >= wanted for g in gpus)


def gpu_device_name() -> str:
    """The name of the first GPU device (``'/device:GPU:0'``), or ``''`` when there is none."""
    return "/device:GPU:0" if is_gpu_available() else ""


def is_built_with_cuda() -> bool:
    """Whether this build can run CUDA kernels: yes (with a CUDA 13 driver and libraries at run time)."""
    from . import _core

    return _core.is_built_with_cuda()


def is_built_with_rocm() -> bool:
    """Whether this build can run ROCm kernels: no."""
    return False


def is_built_with_gpu_support() -> bool:
    """Whether this build has any GPU support (CUDA or ROCm): no."""
    return is_built_with_cuda() or is_built_with_rocm()


__dir__ = _public_dir(globals())
