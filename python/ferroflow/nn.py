"""``ferroflow.nn``: TensorFlow's ``tf.nn`` namespace."""

from typing import Any, Optional

from ferroflow._api import public_dir as _public_dir  # noqa: E402

from .framework.ragged_dispatch import on_flat_values as _on_flat_values
from .ops.candidate_sampling_ops import (  # noqa: F401
    all_candidate_sampler,
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
)
from .ops.conv3d_ops import avg_pool3d, conv3d, max_pool3d  # noqa: F401
from .ops.conv3d_transpose_ops import conv3d_transpose  # noqa: F401
from .ops.conv_extra_ops import (  # noqa: F401
    atrous_conv2d,
    atrous_conv2d_transpose,
    conv1d_transpose,
    conv_transpose,
    depthwise_conv2d_backprop_filter,
    depthwise_conv2d_backprop_input,
)
from .ops.conv_ops import (  # noqa: F401
    avg_pool,
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv2d_transpose,
    convolution,
    depthwise_conv2d,
    max_pool,
    max_pool1d,
    max_pool2d,
)
from .ops.counting_ops import in_top_k  # noqa: F401
from .ops.ctc_decode_ops import (  # noqa: F401
    collapse_repeated,
    ctc_beam_search_decoder,
    ctc_greedy_decoder,
    ctc_unique_labels,
)
from .ops.ctc_ops import ctc_loss  # noqa: F401
from .ops.embedding_ops import embedding_lookup, safe_embedding_lookup_sparse  # noqa: F401
from .ops.fractional_pool_ops import fractional_avg_pool, fractional_max_pool  # noqa: F401
from .ops.lrn_ops import local_response_normalization, lrn  # noqa: F401
from .ops.math_extra_ops import zero_fraction  # noqa: F401
from .ops.math_ops import l2_normalize  # noqa: F401
from .ops.nn_loss_extra_ops import (  # noqa: F401
    compute_average_loss,
    crelu,
    log_poisson_loss,
    scale_regularization_loss,
    weighted_cross_entropy_with_logits,
)
from .ops.nn_misc_ops import (  # noqa: F401
    approx_max_k,
    approx_min_k,
    batch_norm_with_global_normalization,
    space_to_batch,
)
from .ops.nn_moments_ops import normalize_moments, sufficient_statistics, weighted_moments  # noqa: F401
from .ops.nn_ops import (  # noqa: F401
    bias_add,
    dropout,
    elu,
    l2_loss,
    leaky_relu,
    log_softmax,
    moments,
    relu,
    relu6,
    selu,
    sigmoid,
    sigmoid_cross_entropy_with_logits,
    silu,
    softmax,
    softmax_cross_entropy_with_logits,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
    swish,
    tanh,
)
from .ops.normalization_ops import batch_normalization, fused_batch_norm  # noqa: F401
from .ops.pool_extra_ops import dilation2d, erosion2d, isotonic_regression, max_pool_with_argmax  # noqa: F401
from .ops.pool_ops import pool  # noqa: F401
from .ops.sampled_loss_ops import nce_loss, sampled_softmax_loss  # noqa: F401
from .ops.separable_conv_ops import separable_conv2d  # noqa: F401
from .ops.sorting_ops import top_k  # noqa: F401
from .ops.space_depth_ops import depth_to_space, space_to_depth  # noqa: F401
from .ops.sparse_ops import embedding_lookup_sparse  # noqa: F401


@_on_flat_values
def gelu(features: Any, approximate: bool = False, name: Optional[str] = None) -> Any:
    """``tf.nn.gelu``: ``features * P(X <= features)`` for a standard normal ``X`` (the tanh approximation
    with ``approximate=True``), the same function as ``keras.activations.gelu``."""
    from .activations.functions import gelu as _gelu

    return _gelu(features, approximate)


__dir__ = _public_dir(globals())
