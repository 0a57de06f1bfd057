"""``ferroflow.random``: seeded random tensors (``tf.random``), stateless ops and ``Generator``s."""

from ferroflow._api import public_dir as _public_dir

from .ops.candidate_sampling_ops import (  # noqa: F401
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from .ops.random_gamma_poisson_ops import gamma, poisson, stateless_gamma, stateless_poisson  # noqa: F401
from .ops.random_generator import Generator, get_global_generator, set_global_generator  # noqa: F401
from .ops.random_ops import normal, set_seed, shuffle, truncated_normal, uniform  # noqa: F401
from .ops.random_seed_ops import Algorithm, create_rng_state, fold_in, split  # noqa: F401
from .ops.stateless_random_ops import (  # noqa: F401
    categorical,
    stateless_categorical,
    stateless_normal,
    stateless_truncated_normal,
    stateless_uniform,
)

__dir__ = _public_dir(globals())
