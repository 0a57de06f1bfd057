"""tf.nn.ctc_loss and the CTC decoders: values and gradients against TensorFlow 2.21's outputs (pasted), a
brute-force sum over alignments, a NumPy forward recursion and float64 finite differences; tf.function,
a small training loop, errors."""

import itertools

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.errors import FailedPreconditionError, InvalidArgumentError
from gradcheck import check_gradient

# [frames=6, batch=3, classes=5]
LOGITS = np.array(
    [
        [
            [0.1257, -0.1321, 0.6404, 0.1049, -0.5357],
            [0.3616, 1.304, 0.9471, -0.7037, -1.2654],
            [-0.6233, 0.0413, -2.325, -0.2188, -1.2459],
        ],
        [
            [-0.7323, -0.5443, -0.3163, 0.4116, 1.0425],
            [-0.1285, 1.3665, -0.6652, 0.3515, 0.9035],
            [0.094, -0.7435, -0.9217, -0.4577, 0.2202],
        ],
        [
            [-1.0096, -0.2092, -0.1592, 0.5408, 0.2147],
            [0.3554, -0.6538, -0.1296, 0.784, 1.4934],
            [-1.2591, 1.5139, 1.3459, 0.7813, 0.2645],
        ],
        [
            [-0.3139, 1.458, 1.9603, 1.8016, 1.3151],
            [0.3574, -1.2083, -0.0045, 0.6565, -1.2884],
            [0.3951, 0.4299, 0.696, -1.1841, -0.6617],
        ],
        [
            [-0.4364, -1.1698, 1.7394, -0.4959, 0.329],
            [-0.2586, 1.5835, 1.3204, 0.6334, -2.2035],
            [0.052, 0.6837, 1.004, -0.6179, 1.822],
        ],
        [
            [-1.3204, -0.6615, 0.935, 0.0491, 2.0024],
            [0.1885, -0.6332, -0.3776, -1.0911, -1.2777],
            [0.6304, 0.5812, 1.2946, -0.7546, 1.6891],
        ],
    ],
    np.float32,
)
LABELS = np.array([[1, 2, 2], [3, 1, 0], [4, 0, 0]], np.int32)
LABEL_LEN = np.array([3, 2, 1], np.int32)
LOGIT_LEN = np.array([6, 5, 3], np.int32)
TF_LOSS = [8.25561, 5.215792, 3.953298]  # tf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN)


def _collapse(path, blank):
    out = [k for i, k in enumerate(path) if k != blank and (i == 0 or k != path[i - 1])]
    return out


def _brute_force(logits, label, blank=0):
    """-log of the summed probability of every frame-wise path that collapses to ``label``."""
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        if _collapse(path, blank) == list(label):
            total += np.prod([p[t, k] for t, k in enumerate(path)])
    return -np.log(total)


def _numpy_ctc(logits, label):
    """The textbook forward recursion (probability space with per-frame scaling), one sequence, blank 0."""
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    ext = [0]
    for v in label:
        ext += [v, 0]
    s_len = len(ext)
    alpha = np.zeros(s_len)
    alpha[0] = p[0, 0]
    if s_len > 1:
        alpha[1] = p[0, ext[1]]
    log_scale = 0.0
    for t in range(1, logits.shape[0]):
        new = alpha.copy()
        new[1:] += alpha[:-1]
        for s in range(2, s_len):
            if ext[s] != 0 and ext[s] != ext[s - 2]:
                new[s] += alpha[s - 2]
        alpha = new * p[t, ext]
        c = alpha.sum()
        alpha /= c
        log_scale += np.log(c)
    end = alpha[-1] + (alpha[-2] if s_len > 1 else 0.0)
    return -(np.log(end) + log_scale)


def test_dense_loss_matches_tensorflow_with_blank_positions_and_layouts():
    np.testing.assert_allclose(tf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN).numpy(), TF_LOSS, rtol=1e-6)
    batch_major = tf.nn.ctc_loss(LABELS, LOGITS.transpose(1, 0, 2), LABEL_LEN, LOGIT_LEN, logits_time_major=False)
    np.testing.assert_allclose(batch_major.numpy(), TF_LOSS, rtol=1e-6)
    last = tf.nn.ctc_loss(LABELS - 1, LOGITS, LABEL_LEN, LOGIT_LEN, blank_index=-1)
    np.testing.assert_allclose(last.numpy(), [7.9922366, 6.287651, 3.3610463], rtol=1e-6)
    middle = tf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN, blank_index=2)
    np.testing.assert_allclose(middle.numpy(), [9.047534, 5.0017924, 3.7782812], rtol=1e-6)
    empty = tf.nn.ctc_loss(np.zeros((1, 2), np.int32), LOGITS[:, :1], [0], [4])
    np.testing.assert_allclose(empty.numpy(), [10.161144], rtol=1e-6)


def test_sparse_labels_match_dense_and_tensorflow_edge_cases():
    sparse = tf.sparse.from_dense(tf.constant(LABELS))
    got = tf.nn.ctc_loss(sparse, LOGITS, None, LOGIT_LEN, blank_index=0)
    np.testing.assert_allclose(got.numpy(), TF_LOSS, rtol=1e-6)
    # "2 2" needs a blank between: 4 frames for 3 labels. TensorFlow: dense 710.5796 (its log 0 of 1e-307),
    # sparse inf; with fewer frames than labels dense 709.4116 and sparse InvalidArgumentError.
    np.testing.assert_allclose(tf.nn.ctc_loss(LABELS[:1], LOGITS[:, :1], [3], [3]).numpy(), [710.5796], rtol=1e-6)
    np.testing.assert_allclose(tf.nn.ctc_loss(LABELS[:1], LOGITS[:, :1], [3], [2]).numpy(), [709.4116], rtol=1e-6)
    one = tf.sparse.from_dense(tf.constant(LABELS[:1]))
    assert np.isinf(tf.nn.ctc_loss(one, LOGITS[:, :1], None, [3], blank_index=0).numpy()).all()
    with pytest.raises(InvalidArgumentError, match="Not enough time for target transition sequence"):
        tf.nn.ctc_loss(one, LOGITS[:, :1], None, [2], blank_index=0)


def test_loss_against_brute_force_and_numpy_recursion():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 4, 3))
    labels = np.array([[1, 2], [1, 1], [2, 0], [0, 0]])
    lengths = np.array([2, 2, 1, 0])
    got = tf.nn.ctc_loss(labels, x, lengths, [5, 5, 5, 5]).numpy()
    want = [_brute_force(x[:, b], labels[b, : lengths[b]]) for b in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # realistic sizes: 32 sequences of up to 50 frames, 20 classes, labels up to 10 long
    x = rng.standard_normal((50, 32, 20)) * 2
    labels = rng.integers(1, 20, (32, 10))
    label_len = rng.integers(0, 11, 32)
    logit_len = rng.integers(25, 51, 32)
    got = tf.nn.ctc_loss(labels, x, label_len, logit_len).numpy()
    want = [_numpy_ctc(x[: logit_len[b], b], labels[b, : label_len[b]]) for b in range(32)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_gradient_matches_tensorflow_and_finite_differences():
    x = tf.constant(LOGITS)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.nn.ctc_loss(LABELS, x, LABEL_LEN, LOGIT_LEN) * [1.0, 2.0, 3.0])
    grad = tape.gradient(y, x).numpy()
    # TensorFlow 2.21's gradient for the third sequence (weight 3); frames past its length get none
    tf_grad = [
        [-1.624027, 1.129806, 0.106007, 0.871051, -0.482837],
        [-0.178359, 0.37039, 0.309933, 0.492925, -0.99489],
        [-0.389953, 1.121427, 0.948003, 0.539023, -2.2185],
    ]
    np.testing.assert_allclose(grad[:3, 2], tf_grad, atol=2e-6)
    np.testing.assert_array_equal(grad[3:, 2], 0.0)
    np.testing.assert_array_equal(grad[5:, 1], 0.0)
    # float64 against central differences, with a repeated label, a blank rotated to the middle and padding
    rng = np.random.default_rng(1)
    labels, label_len, logit_len = np.array([[1, 1, 3], [2, 0, 0]]), np.array([3, 1]), np.array([6, 4])
    logits = rng.standard_normal((6, 2, 4))
    check_gradient(lambda t: tf.nn.ctc_loss(labels, t, label_len, logit_len), logits)
    check_gradient(lambda t: tf.nn.ctc_loss(labels, t, label_len, logit_len, blank_index=2), logits)
    sparse = tf.sparse.from_dense(tf.constant(labels[:1]))
    check_gradient(lambda t: tf.nn.ctc_loss(sparse, t, None, [5], blank_index=0), logits[:, :1])


def test_in_tf_function_with_unknown_batch_and_a_training_loop():
    spec = [tf.TensorSpec([6, None, 5], tf.float32), tf.TensorSpec([None, 3], tf.int32)]

    @tf.function(input_signature=spec)
    def loss(x, labels):
        return tf.nn.ctc_loss(labels, x, LABEL_LEN, LOGIT_LEN)

    np.testing.assert_allclose(loss(LOGITS, LABELS).numpy(), TF_LOSS, rtol=1e-6)

    rng = np.random.default_rng(2)
    features = rng.standard_normal((8, 12, 6)).astype(np.float32)
    labels = rng.integers(1, 5, (8, 4)).astype(np.int32)
    dense = tf.keras.layers.Dense(5)
    dense.build((None, 12, 6))
    opt = tf.keras.optimizers.Adam(0.05)

    @tf.function
    def step(f, y):
        with tf.GradientTape() as tape:
            logits = dense(f)
            value = tf.reduce_mean(tf.nn.ctc_loss(y, logits, [4] * 8, [12] * 8, logits_time_major=False))
        opt.apply_gradients(zip(tape.gradient(value, dense.trainable_variables), dense.trainable_variables))
        return value

    first = float(step(features, labels))
    for _ in range(30):
        last = float(step(features, labels))
    assert last < first * 0.8


def test_ctc_loss_errors():
    sparse = tf.sparse.from_dense(tf.constant(LABELS))
    with pytest.raises(ValueError, match="`blank_index` must be provided"):
        tf.nn.ctc_loss(sparse, LOGITS, None, LOGIT_LEN)
    with pytest.raises(TypeError, match="integer labels"):
        tf.nn.ctc_loss(LABELS.astype(np.float32), LOGITS, LABEL_LEN, LOGIT_LEN)
    with pytest.raises(ValueError, match="label_length"):
        tf.nn.ctc_loss(LABELS, LOGITS, None, LOGIT_LEN)
    with pytest.raises(ValueError, match="rank 3"):
        tf.nn.ctc_loss(LABELS, LOGITS[0], LABEL_LEN, LOGIT_LEN)
    with pytest.raises(ValueError, match="blank_index"):
        tf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN, blank_index=5)
    f = tf.function(
        lambda x: tf.nn.ctc_loss(LABELS, x, LABEL_LEN, LOGIT_LEN),
        input_signature=[tf.TensorSpec([6, 3, None], tf.float32)],
    )
    with pytest.raises(ValueError, match="number of classes"):
        f(LOGITS)


def test_v1_loss_refuses_the_blank_class_as_a_label_as_tensorflow_does():
    # TF1's blank is the last class: TensorFlow 2.21 raises InvalidArgumentError ("Saw a non-null label (index
    # >= num_classes - 1) following a null label") for a label equal to it, or beyond it, or negative.
    logits = tf.constant(DECODE_IN)  # 4 classes, blank 3
    for values in ([1, 3, 0], [1, 4, 0], [1, -1, 0]):
        labels = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], np.array(values, np.int32), [2, 2])
        with pytest.raises(InvalidArgumentError, match="non-null label"):
            tf.compat.v1.nn.ctc_loss(labels, logits, [6, 6])
    labels = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], np.array([1, 2, 0], np.int32), [2, 2])
    assert np.all(np.isfinite(tf.compat.v1.nn.ctc_loss(labels, logits, [6, 6]).numpy()))


# [frames=6, batch=2, classes=4], blank 3
DECODE_IN = np.array(
    [
        [[0.54, 2.27, -2.68, 2.53], [-0.07, -1.2, -1.2, -1.62]],
        [[-0.34, 1.25, 0.88, 0.96], [-2.54, -2.36, 2.33, 1.45]],
        [[3.27, 1.81, -1.54, 1.93], [0.94, 0.32, -1.23, 0.0]],
        [[-0.22, 1.34, 0.19, 2.38], [-1.16, 0.71, 0.75, -1.3]],
        [[-1.77, 1.52, 0.78, -0.24], [0.59, -1.01, 0.36, -0.91]],
        [[0.28, 1.48, -0.51, 1.27], [-1.55, -0.43, -2.05, -0.15]],
    ],
    np.float32,
)


def _rows(sp):
    out = [[] for _ in range(int(sp.dense_shape.numpy()[0]))]
    for (b, _), v in zip(sp.indices.numpy().tolist(), sp.values.numpy().tolist()):
        out[b].append(v)
    return out, sp.dense_shape.numpy().tolist()


def test_beam_search_decoder_matches_tensorflow():
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(DECODE_IN, [6, 5], beam_width=3, top_paths=2)
    assert _rows(decoded[0]) == ([[1, 0, 1], [0, 2, 1, 0]], [2, 4])
    assert _rows(decoded[1]) == ([[1, 1], [0, 2, 0, 2]], [2, 4])
    assert decoded[0].values.dtype == tf.int64
    np.testing.assert_allclose(log_probs.numpy(), [[-1.9440851, -3.0161452], [-3.1844473, -3.2779951]], rtol=1e-6)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(DECODE_IN, [6, 5])
    assert _rows(decoded[0]) == ([[1, 0, 1], [0, 2, 1, 2]], [2, 4])
    np.testing.assert_allclose(log_probs.numpy(), [[-1.7845082], [-2.9340279]], rtol=1e-6)


def test_greedy_decoder_matches_tensorflow():
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(DECODE_IN, [6, 5])
    assert _rows(decoded[0]) == ([[1, 0, 1], [0, 2, 0, 2, 0]], [2, 5])
    np.testing.assert_allclose(neg_sum.numpy(), [[-12.43], [-4.54]], rtol=1e-6)
    decoded, _ = tf.nn.ctc_greedy_decoder(DECODE_IN, [6, 5], merge_repeated=False, blank_index=0)
    assert _rows(decoded[0]) == ([[3, 1, 3, 1, 1], [2, 2]], [2, 5])
    inf = float("inf")  # TensorFlow's documented example, blank 1
    logits = np.array(
        [
            [[0.0, -inf, -inf], [-2.3, -inf, -0.1]],
            [[-inf, -0.5, -inf], [-inf, -inf, -0.1]],
            [[-inf, -inf, -inf], [-0.1, -inf, -2.3]],
        ]
    )
    decoded, neg_sum = tf.nn.ctc_greedy_decoder(logits.astype(np.float32), [2, 3], blank_index=1)
    assert _rows(decoded[0]) == ([[0], [2, 0]], [2, 2])
    np.testing.assert_allclose(neg_sum.numpy(), [[0.5], [0.3]], rtol=1e-6)


def test_beam_search_agrees_with_exhaustive_search_on_a_wide_beam():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 1, 3)) * 2
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(x, [5], beam_width=100, top_paths=3)
    p = np.exp(x[:, 0] - x[:, 0].max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    scores = {}
    for path in itertools.product(range(3), repeat=5):
        key = tuple(_collapse(path, 2))
        scores[key] = scores.get(key, 0.0) + np.prod([p[t, k] for t, k in enumerate(path)])
    best = sorted(scores.items(), key=lambda kv: -kv[1])[:3]
    for d, (seq, prob), lp in zip(decoded, best, log_probs.numpy()[0]):
        assert _rows(d)[0][0] == list(seq)
        np.testing.assert_allclose(lp, np.log(prob), rtol=1e-9)


def test_decoder_errors():
    with pytest.raises(InvalidArgumentError, match="more paths than the beam width"):
        tf.nn.ctc_beam_search_decoder(DECODE_IN, [6, 5], beam_width=2, top_paths=3)
    with pytest.raises(FailedPreconditionError, match="len\\(sequence_length\\) != batch_size"):
        tf.nn.ctc_beam_search_decoder(DECODE_IN, [6])
    with pytest.raises(FailedPreconditionError, match="sequence_length\\(0\\) <= 6"):
        tf.nn.ctc_greedy_decoder(DECODE_IN, [7, 5])
    with pytest.raises(InvalidArgumentError, match="between -4 and 3"):
        tf.nn.ctc_greedy_decoder(DECODE_IN, [6, 5], blank_index=4)
    with pytest.raises(NotImplementedError, match="eagerly"):
        tf.function(lambda x: tf.nn.ctc_greedy_decoder(x, [6, 5])[1])(DECODE_IN)


def test_collapse_repeated_and_unique_labels():
    labels, lengths = tf.nn.collapse_repeated([[1, 1, 2, 2, 1], [1, 2, 3, 4, 5], [3, 3, 3, 0, 0]], [5, 5, 2])
    np.testing.assert_array_equal(labels.numpy(), [[1, 2, 1, 0, 0], [1, 2, 3, 4, 5], [3, 0, 0, 0, 0]])
    np.testing.assert_array_equal(lengths.numpy(), [3, 5, 1])
    unique, index = tf.nn.ctc_unique_labels([[3, 4, 4, 3], [1, 1, 0, 0]])
    assert unique.dtype == tf.int64 and index.dtype == tf.int32
    np.testing.assert_array_equal(unique.numpy(), [[3, 4, 0, 0], [1, 0, 0, 0]])
    np.testing.assert_array_equal(index.numpy(), [[0, 1, 1, 0], [0, 0, 1, 1]])
    # `unique` is an optimization in TensorFlow: the loss is the same with it
    with_unique = tf.nn.ctc_loss(LABELS, LOGITS, LABEL_LEN, LOGIT_LEN, unique=tf.nn.ctc_unique_labels(LABELS))
    np.testing.assert_allclose(with_unique.numpy(), TF_LOSS, rtol=1e-6)
