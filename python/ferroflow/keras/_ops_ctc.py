"""``keras.ops.ctc_loss`` and ``keras.ops.ctc_decode`` (Keras 3's TensorFlow backend): batch-major logits,
integer labels, ``mask_index`` the blank; decoding greedy or by beam search to dense ``-1``-padded labels."""

from __future__ import annotations

from typing import Any

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor

__all__ = ["ctc_decode", "ctc_loss"]


def _tf() -> Any:
    import ferroflow

    return ferroflow


def ctc_loss(target: Any, output: Any, target_length: Any, output_length: Any, mask_index: int = 0) -> Tensor:
    """The CTC loss of each sample: ``target`` labels ``(batch, max_label_length)``, ``output`` logits
    ``(batch, max_time, classes)`` (float64 computed in float32 and given back as float64)."""
    tf = _tf()
    target = tf.cast(convert_to_tensor(target), "int32")
    output = convert_to_tensor(output)
    result_dtype = "float64" if output.dtype.name == "float64" else "float32"
    output = tf.cast(output, "float32")
    loss = tf.nn.ctc_loss(
        labels=target,
        logits=output,
        label_length=target_length,
        logit_length=output_length,
        blank_index=mask_index,
        logits_time_major=False,
    )
    return tf.cast(loss, result_dtype)


def ctc_decode(
    inputs: Any,
    sequence_lengths: Any,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int = 0,
) -> tuple:
    """``(decoded, scores)``: ``decoded`` int32 ``(top_paths, batch, max_time)`` padded with -1."""
    tf = _tf()
    inputs = convert_to_tensor(inputs)
    input_shape = tf.shape(inputs)
    num_samples, num_steps = input_shape[0], input_shape[1]
    inputs = tf.transpose(inputs, (1, 0, 2))
    inputs = tf.cast(inputs, "float64" if inputs.dtype.name == "float64" else "float32")
    sequence_lengths = convert_to_tensor(sequence_lengths, dtype="int32")
    if strategy == "greedy":
        decoded, scores = tf.nn.ctc_greedy_decoder(
            inputs=inputs, sequence_length=sequence_lengths, merge_repeated=merge_repeated, blank_index=mask_index
        )
    elif strategy == "beam_search":
        # The beam decoder's blank is the last class: move the mask column there, and shift labels back after.
        if mask_index is not None:
            inputs = tf.concat(
                [inputs[..., :mask_index], inputs[..., mask_index + 1 :], inputs[..., mask_index : mask_index + 1]],
                axis=-1,
            )
        decoded, scores = tf.nn.ctc_beam_search_decoder(
            inputs=inputs, sequence_length=sequence_lengths, beam_width=beam_width, top_paths=top_paths
        )
    else:
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'.")
    dense = []
    for st in decoded:
        st = tf.SparseTensor(st.indices, st.values, tf.cast(tf.stack([num_samples, num_steps]), "int64"))
        dense.append(tf.sparse.to_dense(st, default_value=-1))
    decoded_dense = tf.cast(tf.stack(dense, axis=0), "int32")
    if strategy == "beam_search" and mask_index is not None:
        if mask_index < 0:
            mask_index = mask_index + input_shape[-1]
        decoded_dense = tf.where(decoded_dense >= mask_index, decoded_dense + 1, decoded_dense)
    return decoded_dense, scores
