"""``keras.utils.image_dataset_from_directory``: a ``tf.data.Dataset`` of the images (.bmp .gif .jpeg .jpg .png)
of a directory tree, labelled by their class subdirectory, decoded and resized as the dataset is iterated.

Each image is read with ``tf.io.read_file``, decoded with ``tf.io.decode_image(channels=..., expand_animations=
False)`` and resized with ``tf.image.resize`` (or cropped to the target aspect ratio first, or resized with
padding). A plain resize runs in the dataset's traced graph (the resize op reads each image's size when it
runs); cropping or padding to the aspect ratio computes offsets from the size, so those load eagerly per
element (through ``tf.py_function``).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from . import dataset_file_checks, dataset_files

__all__ = ["image_dataset_from_directory"]

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def _crop_to_aspect_ratio(img: Any, size: tuple) -> Any:
    """The largest centred crop of ``img`` (height, width, channels) with the aspect ratio of ``size``
    (Keras's ``smart_resize`` before its resize)."""
    height, width = int(img.shape[0]), int(img.shape[1])
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return img[top : top + crop_height, left : left + crop_width, :]


def _image_loader(
    image_size: tuple, num_channels: int, interpolation: str, crop_to_aspect_ratio: bool, pad_to_aspect_ratio: bool
) -> Any:
    from .. import image as tf_image
    from .. import io as tf_io
    from ..ops.array_ops import reshape
    from ..ops.io_ops import read_file
    from ..ops.py_function_ops import py_function

    height, width = image_size
    # Nearest-neighbour resizing keeps the decoded dtype (uint8); the other methods give float32.
    out_dtype = "uint8" if interpolation == "nearest" else "float32"

    def load_eager(path: Any) -> Any:
        img = tf_io.decode_image(read_file(path), channels=num_channels, expand_animations=False)
        if crop_to_aspect_ratio:
            return tf_image.resize(_crop_to_aspect_ratio(img, image_size), image_size, method=interpolation)
        if pad_to_aspect_ratio:
            return tf_image.resize_with_pad(img, height, width, method=interpolation)
        return tf_image.resize(img, image_size, method=interpolation)

    def load(path: Any) -> Any:
        if pad_to_aspect_ratio and crop_to_aspect_ratio:  # raised when the dataset is built, as in Keras
            raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
        if not (crop_to_aspect_ratio or pad_to_aspect_ratio):  # the native resize takes any decoded size
            img = tf_io.decode_image(read_file(path), channels=num_channels, expand_animations=False)
            return tf_image.resize(img, image_size, method=interpolation)
        return reshape(py_function(load_eager, [path], out_dtype), (height, width, num_channels))

    return load


def image_dataset_from_directory(
    directory: str,
    labels: Any = "inferred",
    label_mode: Optional[str] = "int",
    class_names: Optional[Sequence[str]] = None,
    color_mode: str = "rgb",
    batch_size: Optional[int] = 32,
    image_size: Union[int, Sequence[int]] = (256, 256),
    shuffle: bool = True,
    seed: Optional[int] = None,
    validation_split: Optional[float] = None,
    subset: Optional[str] = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    verbose: bool = True,
) -> Any:
    """A dataset of ``(images, labels)`` batches from the images under ``directory``.

    Images are float32 ``(batch, height, width, channels)`` with ``image_size = (height, width)`` and 3, 4
    or 1 channels for ``color_mode`` "rgb", "rgba" or "grayscale". Labels, ``class_names``, shuffling and
    ``validation_split`` / ``subset`` work as in ``text_dataset_from_directory``; the dataset also has a
    ``file_paths`` attribute listing the files in the order the dataset was built from.
    """
    dataset_file_checks.check_label_args(labels, label_mode, class_names, "image")
    if color_mode not in _CHANNELS:
        raise ValueError(
            f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={color_mode}'
        )
    num_channels = _CHANNELS[color_mode]
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or not len(image_size) == 2:
        raise ValueError(
            f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size}"
        )
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"Argument `interpolation` should be one of {_INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    image_paths, labels, label_mode, class_names, seed = dataset_files.labelled_files(
        directory,
        labels,
        label_mode,
        class_names,
        ALLOWLIST_FORMATS,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
    )
    load = _image_loader(image_size, num_channels, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio)
    make = dataset_files.dataset_maker(load, label_mode, class_names, batch_size, shuffle, seed, keep_paths=True)

    return dataset_files.split_datasets(
        directory,
        image_paths,
        labels,
        validation_split,
        subset,
        make,
        "images",
        f"Allowed formats: {ALLOWLIST_FORMATS}",
    )


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals())
