"""``ferroflow.image``: TensorFlow 2's ``tf.image`` ops, composed from ferroflow's ops (eager, graph, gradients)."""

from ferroflow._api import public_dir as _public_dir

from .ops.image_codec_ops import (  # noqa: F401
    adjust_jpeg_quality,
    decode_and_crop_jpeg,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    extract_jpeg_shape,
    is_jpeg,
)
from .ops.image_color_ops import (  # noqa: F401
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    convert_image_dtype,
    grayscale_to_rgb,
    hsv_to_rgb,
    per_image_standardization,
    rgb_to_grayscale,
    rgb_to_hsv,
)
from .ops.image_color_space_ops import rgb_to_yiq, rgb_to_yuv, yiq_to_rgb, yuv_to_rgb  # noqa: F401
from .ops.image_combined_nms_ops import combined_non_max_suppression  # noqa: F401
from .ops.image_crop_ops import crop_and_resize, extract_glimpse  # noqa: F401
from .ops.image_draw_ops import draw_bounding_boxes  # noqa: F401
from .ops.image_metrics_ops import image_gradients, psnr, ssim, total_variation  # noqa: F401
from .ops.image_nms_ops import (  # noqa: F401
    non_max_suppression,
    non_max_suppression_overlaps,
    non_max_suppression_padded,
    non_max_suppression_with_scores,
)
from .ops.image_ops import (  # noqa: F401
    central_crop,
    crop_to_bounding_box,
    flip_left_right,
    flip_up_down,
    pad_to_bounding_box,
    resize_with_crop_or_pad,
    rot90,
    transpose,
)
from .ops.image_patches_ops import extract_patches  # noqa: F401
from .ops.image_random_ops import (  # noqa: F401
    random_brightness,
    random_contrast,
    random_crop,
    random_flip_left_right,
    random_flip_up_down,
    random_hue,
    random_saturation,
    stateless_random_brightness,
    stateless_random_contrast,
    stateless_random_crop,
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
    stateless_random_hue,
    stateless_random_saturation,
)
from .ops.image_resize_ops import ResizeMethod, resize, resize_with_pad  # noqa: F401
from .ops.image_sample_bbox_ops import (  # noqa: F401
    sample_distorted_bounding_box,
    stateless_sample_distorted_bounding_box,
)
from .ops.image_sobel_ops import sobel_edges  # noqa: F401
from .ops.image_ssim_multiscale_ops import ssim_multiscale  # noqa: F401

__dir__ = _public_dir(globals())
