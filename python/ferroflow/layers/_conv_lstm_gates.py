"""The gate convolutions and LSTM update of ``ConvLSTMCell`` (a mixin over the cell's weights and arguments)."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ..framework import nest
from ..framework.ops import convert_to_tensor
from ..ops import array_ops, conv_ops, math_ops
from ._fused_lstm import fused_step, has_default_activations

_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def _masked(x: Any, masks: Optional[list]) -> Any:
    """``x`` itself, or its four copies under the gates' dropout masks."""
    return x if masks is None else [math_ops.multiply(x, m) for m in masks]


class _ConvLSTMGates:
    """The four gates (i, f, c, o) side by side along the channel axis: the input convolution (with bias), the
    recurrent one (``"same"``, strides 1) and one LSTM step; ``data_format`` decides where the channels are."""

    @property
    def _first(self) -> bool:
        return self.data_format == "channels_first"

    @property
    def _axis(self) -> int:
        """The channel axis of a step tensor (batch, ...)."""
        return 1 if self._first else -1

    def _gate(self, z: Any, k: int) -> Any:
        lo, hi = k * self.filters, (k + 1) * self.filters
        return z[:, lo:hi] if self._first else z[..., lo:hi]

    def _conv(self, x: Any, kernel: Any, strides: tuple, padding: str, dilation: tuple) -> Any:
        fmt = _FORMATS[self.rank][1 if self._first else 0]
        return conv_ops.convolution(
            x, kernel, strides=list(strides), padding=padding.upper(), data_format=fmt, dilations=list(dilation)
        )

    def _gated_conv(self, xs: Any, kernel: Any, **conv: Any) -> Any:
        """``xs`` convolved with all four gates' kernels: one convolution for one tensor, or one per gate for a
        list of four (each gate's input under its own dropout mask)."""
        if not isinstance(xs, list):
            return self._conv(xs, kernel, **conv)
        f = self.filters
        parts = [self._conv(x, kernel[..., k * f : (k + 1) * f], **conv) for k, x in enumerate(xs)]
        return array_ops.concat(parts, self._axis)

    def _input_conv(self, xs: Any) -> Any:
        """The input convolution plus bias of a step's input (or of its four masked copies)."""
        conv = dict(strides=self.strides, padding=self.padding, dilation=self.dilation_rate)
        y = self._gated_conv(xs, convert_to_tensor(self.kernel), **conv)
        if self.bias is None:
            return y
        bias = convert_to_tensor(self.bias)
        if self._first:
            bias = array_ops.reshape(bias, [4 * self.filters] + [1] * self.rank)
        return math_ops.add(y, bias)

    def _recurrent_conv(self, h: Any, kernel: Any, masks: Any) -> Any:
        ones = (1,) * self.rank
        return self._gated_conv(_masked(h, masks), kernel, strides=ones, padding="same", dilation=ones)

    def _project_sequence(self, sequences: Any, masks: Any) -> Any:
        """The input convolution of every timestep at once: (batch, time) folded into one batch axis."""
        shape = tuple(sequences.shape)
        steps, inner = int(shape[1]), [int(d) for d in shape[2:]]
        masks = None if masks is None else [array_ops.expand_dims(m, 1) for m in masks]
        xs = nest.map_structure(lambda x: array_ops.reshape(x, [-1] + inner), _masked(sequences, masks))
        y = self._input_conv(xs)
        return array_ops.reshape(y, [-1, steps] + [int(d) for d in tuple(y.shape)[1:]])

    def _step(self, projected: Any, states: list, kernel: Any, recurrent_masks: Any) -> Tuple[Any, list]:
        h, c = states[0], states[1]
        z = math_ops.add(projected, self._recurrent_conv(h, kernel, recurrent_masks))
        spatial = list(z.shape[1:-1]) if z.shape.rank is not None else [None]
        if self.data_format == "channels_last" and None not in spatial and has_default_activations(self):
            # Channels last, each position's gates sit side by side: the fused cell runs on positions as rows.
            h, c = fused_step(z, c, self.filters)
            return h, [h, c]
        i = self.recurrent_activation(self._gate(z, 0))
        f = self.recurrent_activation(self._gate(z, 1))
        g = self.activation(self._gate(z, 2))
        o = self.recurrent_activation(self._gate(z, 3))
        c = math_ops.add(math_ops.multiply(f, c), math_ops.multiply(i, g))
        h = math_ops.multiply(o, self.activation(c))
        return h, [h, c]
