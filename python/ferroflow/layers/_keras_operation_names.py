"""Keras 3's names for its operations (``keras.src.ops.*`` modules, class names, operands), as a saved
``config.json`` records them and ``_keras_operation`` writes and reads them."""

# Keras's op module for the functions outside keras.src.ops.numpy (what its config.json records).
_MODULES = {
    "keras.src.ops.nn": "relu relu6 sigmoid softmax log_softmax softplus softsign silu gelu elu selu leaky_relu "
    "hard_sigmoid one_hot celu hard_tanh log_sigmoid glu hard_shrink soft_shrink sparse_plus sparse_sigmoid "
    "squareplus tanh_shrink threshold hard_silu mish sparsemax max_pool adaptive_max_pool average_pool "
    "adaptive_average_pool conv depthwise_conv separable_conv conv_transpose binary_crossentropy "
    "categorical_crossentropy sparse_categorical_crossentropy multi_hot moments batch_normalization ctc_loss "
    "ctc_decode normalize psnr dot_product_attention rms_normalization layer_normalization polar unfold fold "
    "depth_to_space space_to_depth",
    "keras.src.ops.linalg": "cholesky cholesky_inverse det eig eigh inv lu_factor norm qr solve solve_triangular "
    "svd lstsq matrix_rank pinv jvp",
    "keras.src.activations.activations": "re_lu",
    "keras.src.ops.core": "cast convert_to_tensor stop_gradient scan associative_scan switch saturate_cast map "
    "scatter scatter_update slice slice_update while_loop fori_loop unstack convert_to_numpy",
    "keras.src.ops.math": "logsumexp rsqrt erf erfc fft fft2 ifft2 rfft irfft stft istft extract_sequences "
    "view_as_complex view_as_real segment_min segment_prod segment_sum segment_max top_k in_top_k cdist erfinv "
    "logdet",
    "keras.src.ops.einops": "rearrange",
    "keras.src.ops.image": "affine_transform crop_images elastic_transform extract_patches extract_patches_3d "
    "gaussian_blur hsv_to_rgb map_coordinates pad_images perspective_transform resize rgb_to_grayscale rgb_to_hsv "
    "scale_and_translate sobel_edges ssim",
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names.split()}
# ferroflow keras.ops names whose Keras operation is another's (ops.abs makes an ``Absolute``).
_CANONICAL = {"abs": "absolute", "amax": "max", "amin": "min"}
# Operations whose Keras class name is not the camel case of their function's (``keras.activations.relu``).
_CLASS_NAMES = {
    "re_lu": "ReLU",
    "rgb_to_grayscale": "RGBToGrayscale",
    "rgb_to_hsv": "RGBToHSV",
    "hsv_to_rgb": "HSVToRGB",
    "ssim": "SSIM",
    **{name: name.upper() for name in ("fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft")},
    "allclose": "AllClose",
    "batch_normalization": "BatchNorm",
    "cdist": "CDist",
    "ctc_decode": "CTCDecode",
    "ctc_loss": "CTCLoss",
    "isin": "IsIn",
    "jvp": "JVP",
    "layer_normalization": "LayerNorm",
    "psnr": "PSNR",
    "rms_normalization": "RMSNorm",
    "searchsorted": "SearchSorted",
    "svd": "SVD",
}
# Back from those class names to the function (``SearchSorted`` is ``searchsorted``, not ``search_sorted``).
_FUNCTION_OF_CLASS = {class_name: name for name, class_name in _CLASS_NAMES.items()}
# Functions whose operands are not exactly their leading arguments without a default value.
_OPERANDS = {
    "scan": 3,
    "stft": 1,
    "istft": 1,
    "extract_sequences": 1,
    "clip": 1,
    "cast": 1,
    "reshape": 1,
    "expand_dims": 1,
    "where": 3,
    "full_like": 1,
    "one_hot": 1,
    "resize": 1,
    "extract_patches": 1,
    "map_coordinates": 2,
    "scale_and_translate": 4,
    "select": 3,
    "saturate_cast": 1,
    "unravel_index": 1,
    "array_split": 1,
    "hsplit": 1,
    "vsplit": 1,
    "dsplit": 1,
}
# Operations whose node arguments Keras 3 lists by name, in an order other than the function's parameters'
# (``BatchNorm``'s node holds x, mean, variance, offset, scale; ``axis`` and ``epsilon`` are in its config).
_NODE_ARGUMENTS = {"batch_normalization": ("x", "mean", "variance", "offset", "scale")}
