"""``keras.ops.nn``: Keras 3's neural-network ops (activations, convolutions and pooling, normalizations,
attention, losses, ``one_hot``/``multi_hot``, CTC); each is the same function as ``keras.ops``'s (with its
dtype rules and symbolic calls)."""

from __future__ import annotations

from ferroflow._api import public_dir as _public_dir

from . import ops as _ops

# The names of Keras 3's keras.ops.nn, taken from ops.py once they exist (it imports this module last) so
# they carry its dtype rules and symbolic calls.
__all__ = """adaptive_average_pool adaptive_max_pool average_pool batch_normalization binary_crossentropy
categorical_crossentropy celu conv conv_transpose ctc_decode ctc_loss depth_to_space depthwise_conv
dot_product_attention elu fold gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh layer_normalization
leaky_relu log_sigmoid log_softmax max_pool moments multi_hot normalize one_hot polar psnr relu relu6
rms_normalization selu separable_conv sigmoid silu soft_shrink softmax softplus softsign space_to_depth
sparse_categorical_crossentropy sparse_plus sparse_sigmoid sparsemax squareplus swish tanh_shrink threshold
unfold""".split()
globals().update({_name: getattr(_ops, _name) for _name in __all__})
__dir__ = _public_dir(globals())
