"""keras.utils.image_dataset_from_directory: listing, labels, file_paths, element specs, splits and errors, and
the decoded, resized pixels compared with the values Keras gives for the same PNG files."""

import numpy as np
import pytest

import ferroflow as tf

f = tf.keras.utils.image_dataset_from_directory

# The images of the `pngs` fixture: np.random.RandomState(0) uint8 pixels of these shapes, in this order.
SHAPES = [
    ("cats/c1.png", (4, 6, 3)),
    ("cats/c2.png", (5, 5, 4)),
    ("dogs/d1.png", (6, 3, 1)),
    ("dogs/d2.PNG", (2, 2, 3)),
]


@pytest.fixture
def pngs(tmp_path):
    rng = np.random.RandomState(0)
    arrays = {}
    for name, shape in SHAPES:
        img = rng.randint(0, 256, shape).astype("uint8")
        (tmp_path / name).parent.mkdir(exist_ok=True)
        tf.io.write_file(str(tmp_path / name), tf.io.encode_png(img))
        arrays[name] = img
    (tmp_path / "dogs" / "notes.txt").write_text("not an image")
    return str(tmp_path), arrays


@pytest.fixture
def listing(tmp_path):
    """Files with every allowed extension (never decoded by these tests: building a dataset reads no file)."""
    for name in ["b/x.bmp", "b/y.GIF", "a/p.jpeg", "a/q.jpg", "a/sub/r.png", "a/s.txt", "c/t.webp"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    return str(tmp_path)


# -- what needs no decoding


def test_listing_specs_and_attributes(listing, capsys):
    ds = f(listing, shuffle=False, image_size=(3, 4), batch_size=2)
    assert capsys.readouterr().out == "Found 5 files belonging to 3 classes.\n"
    assert ds.class_names == ["a", "b", "c"]
    assert ds.file_paths == [
        f"{listing}/a/p.jpeg",
        f"{listing}/a/q.jpg",
        f"{listing}/a/sub/r.png",
        f"{listing}/b/x.bmp",
        f"{listing}/b/y.GIF",
    ]
    assert ds.element_spec == (tf.TensorSpec([None, 3, 4, 3], tf.float32), tf.TensorSpec([None], tf.int32))
    assert int(ds.cardinality()) == 3


@pytest.mark.parametrize(
    "kwargs, images, labels",
    [
        (
            {"color_mode": "grayscale", "image_size": 5},
            tf.TensorSpec([5, 5, 1], tf.float32),
            tf.TensorSpec([], tf.int32),
        ),
        ({"color_mode": "rgba", "label_mode": "categorical"}, tf.TensorSpec([256, 256, 4], tf.float32), None),
        ({"interpolation": "Nearest", "label_mode": "binary", "class_names": ["b", "a"]}, None, None),
        ({"labels": None}, tf.TensorSpec([256, 256, 3], tf.float32), None),
    ],
)
def test_element_specs(listing, kwargs, images, labels):
    ds = f(listing, batch_size=None, shuffle=False, verbose=False, **kwargs)
    spec = ds.element_spec
    if kwargs.get("labels", "inferred") is None:
        assert spec == images and ds.class_names is None
        return
    if images is not None:
        assert spec[0] == images
    if labels is not None:
        assert spec[1] == labels
    if kwargs.get("label_mode") == "categorical":
        assert spec[1] == tf.TensorSpec([3], tf.float32)
    if kwargs.get("label_mode") == "binary":
        assert spec == (tf.TensorSpec([256, 256, 3], tf.uint8), tf.TensorSpec([1], tf.float32))
        assert ds.class_names == ["b", "a"] and ds.file_paths[0].endswith("b/x.bmp")


def test_validation_split_both_lists_the_files_of_each_subset(listing, capsys):
    train, val = f(listing, validation_split=0.4, subset="both", seed=3)
    out = capsys.readouterr().out
    assert out == "Found 5 files belonging to 3 classes.\nUsing 3 files for training.\nUsing 2 files for validation.\n"
    assert len(train.file_paths) == 3 and len(val.file_paths) == 2
    assert sorted(train.file_paths + val.file_paths) == sorted(f(listing, shuffle=False, verbose=False).file_paths)
    # Keras shuffles the listing with np.random.RandomState(seed) before splitting.
    order = sorted(train.file_paths + val.file_paths)
    np.random.RandomState(3).shuffle(order)
    assert train.file_paths == order[:3] and val.file_paths == order[3:]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"color_mode": "bgr"}, '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. Received: color_mode=bgr'),
        (
            {"image_size": (1, 2, 3)},
            "Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size=(1, 2, 3)",
        ),
        (
            {"interpolation": "cubic"},
            "Argument `interpolation` should be one of ('bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', "
            "'lanczos5', 'gaussian', 'mitchellcubic'). Received: interpolation=cubic",
        ),
        (
            {"pad_to_aspect_ratio": True, "crop_to_aspect_ratio": True},
            "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.",
        ),
        (
            {"labels": "x"},
            "`labels` argument should be a list/tuple of integer labels, of the same size as the number of image "
            "files in the target directory. If you wish to infer the labels from the subdirectory names in the "
            'target directory, pass `labels="inferred"`. If you wish to get a dataset that only contains image '
            "samples (no labels), pass `labels=None`. Received: labels=x",
        ),
        (
            {"label_mode": "binary"},
            "When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=['a', "
            "'b', 'c']",
        ),
    ],
)
def test_argument_errors(listing, kwargs, message):
    with pytest.raises(ValueError) as info:
        f(listing, verbose=False, **kwargs)
    assert str(info.value) == message


def test_no_images(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("")
    with pytest.raises(ValueError) as info:
        f(str(tmp_path), verbose=False)
    assert str(info.value) == (
        f"No images found in directory {tmp_path}. Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')"
    )


def test_namespace():
    assert "image_dataset_from_directory" in dir(tf.keras.utils)
    from ferroflow.utils import image_dataset

    assert dir(image_dataset) == ["image_dataset_from_directory"]


# -- decoded pixels. Expected values: the first 12 of each image as Keras 3 gives them (TensorFlow 2.21).

KERAS_FIRST_12 = {
    "bilinear": [
        [156.375, 71.083, 161.417, 174.5, 92.083, 85.792, 142.875, 47.042, 179.625, 168.875, 109.667, 131.5],
        [85.417, 174.375, 179.833, 124.125, 104.625, 95.292, 102.875, 126.5, 151.75, 65.708, 150.167, 129.875],
        [106.5, 106.5, 106.5, 104.625, 104.625, 104.625, 79.125, 79.125, 79.125, 38.5, 38.5, 38.5],
        [19.0, 174.0, 42.0, 43.0, 176.5, 78.5, 91.0, 181.5, 151.5, 115.0, 184.0, 188.0],
    ],
    "nearest": [
        [172, 47, 117, 195, 103, 9, 211, 21, 242, 216, 88, 140],
        [38, 232, 244, 79, 132, 105, 65, 231, 169, 35, 102, 119],
        [58, 58, 58, 193, 193, 193, 193, 193, 193, 36, 36, 36],
        [19, 174, 42, 19, 174, 42, 115, 184, 188, 115, 184, 188],
    ],
    "nearest_pad": [
        [58, 193, 230, 88, 81, 165, 25, 77, 72, 208, 243, 197],
        [38, 232, 244, 186, 31, 120, 35, 102, 119, 0, 0, 0],
        [0, 0, 0, 193, 193, 193, 0, 0, 0, 0, 0, 0],
        [19, 174, 42, 115, 184, 188, 115, 184, 188, 0, 0, 0],
    ],
    "nearest_crop": [
        [172, 47, 117, 192, 67, 251, 211, 21, 242, 36, 87, 70],
        [174, 82, 91, 142, 99, 53, 68, 6, 196, 127, 244, 131],
        [10, 10, 10, 86, 86, 86, 86, 86, 86, 43, 43, 43],
        [19, 174, 42, 19, 174, 42, 115, 184, 188, 115, 184, 188],
    ],
    "rgba_crop": [
        [154.688, 71.208, 148.625, 255.0, 170.5, 81.208, 161.979, 255.0, 178.938, 56.208, 146.667, 255.0],
        [170.0, 84.125, 86.25, 129.5, 134.125, 125.625, 64.625, 163.625, 87.875, 67.5, 154.0, 105.5],
        [10.0, 10.0, 10.0, 255.0, 57.5, 57.5, 57.5, 255.0, 69.875, 69.875, 69.875, 255.0],
        [19.0, 174.0, 42.0, 255.0, 43.0, 176.5, 78.5, 255.0, 91.0, 181.5, 151.5, 255.0],
    ],
    "pad": [
        [115.125, 109.25, 183.25, 135.0, 88.25, 118.375, 94.125, 66.125, 140.875, 164.625, 153.5, 149.5],
        [88.889, 161.667, 157.889, 164.333, 77.333, 108.0, 65.778, 151.556, 141.333, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 103.5, 103.5, 103.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [19.0, 174.0, 42.0, 67.0, 179.0, 115.0, 115.0, 184.0, 188.0, 0.0, 0.0, 0.0],
    ],
}
MODES = {
    "bilinear": {},
    "nearest": {"interpolation": "nearest"},
    "nearest_pad": {"interpolation": "nearest", "pad_to_aspect_ratio": True},
    "nearest_crop": {"interpolation": "nearest", "crop_to_aspect_ratio": True},
    "rgba_crop": {"color_mode": "rgba", "crop_to_aspect_ratio": True},
    "pad": {"pad_to_aspect_ratio": True},
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_pixels_match_keras(pngs, mode):
    root, _ = pngs
    ds = f(root, image_size=(3, 4), shuffle=False, batch_size=None, verbose=False, **MODES[mode])
    got = list(ds.as_numpy_iterator())
    assert [int(label) for _, label in got] == [0, 0, 1, 1]
    dtype = np.uint8 if mode.startswith("nearest") else np.float32
    for (image, _), expected in zip(got, KERAS_FIRST_12[mode]):
        assert image.dtype == dtype and image.shape == (3, 4, 4 if mode == "rgba_crop" else 3)
        np.testing.assert_allclose(image.reshape(-1)[:12], expected, atol=1e-3)


def test_batches_are_resized_originals(pngs):
    root, arrays = pngs
    ds = f(
        root, image_size=(7, 5), shuffle=False, batch_size=3, verbose=False, color_mode="rgba", label_mode="categorical"
    )
    (x1, y1), (x2, y2) = list(ds.as_numpy_iterator())
    assert x1.shape == (3, 7, 5, 4) and x2.shape == (1, 7, 5, 4)
    assert y1.tolist() == [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]] and y2.tolist() == [[0.0, 1.0]]
    c2 = arrays["cats/c2.png"]  # already RGBA: decoding gives it back unchanged
    np.testing.assert_allclose(x1[1], tf.image.resize(c2, (7, 5)).numpy(), rtol=0, atol=1e-4)


def test_grayscale_image_keeps_its_values(pngs):
    root, arrays = pngs
    ds = f(root, image_size=(6, 3), shuffle=False, batch_size=None, verbose=False, color_mode="grayscale")
    images = [image for image, _ in ds.as_numpy_iterator()]
    assert images[2].shape == (6, 3, 1)
    np.testing.assert_array_equal(images[2], arrays["dogs/d1.png"].astype(np.float32))  # same size: no resampling
