"""``tf.strings.unicode_script``: the ICU ``UScriptCode`` of each code point (-1 outside Unicode's range).

Two gathers from constant tables (``_unicode_script_table``): the 256-code-point block's page, then the
code point's script in that page; it runs eagerly and inside ``tf.function``. A ``RaggedTensor``'s flat values
are looked up and its rows kept, as TensorFlow dispatches the op.
"""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ._unicode_script_table import table
from .array_ops import cast, gather, where, zeros_like
from .math_ops import add, floordiv, floormod, greater, less, logical_or, multiply
from .string_ops import _over_ragged

_TABLES: dict = {}


@_over_ragged
def unicode_script(input: Any, name: Optional[str] = None) -> Tensor:
    """The script code (int32) of each int32 code point, as ``UScriptCode`` numbers (0 Common, 25 Latin ...)."""
    x = convert_to_tensor(input, dtype_hint="int32")
    if x.dtype.name != "int32":
        raise InvalidArgumentError(
            "cannot compute UnicodeScript as input #0(zero-based) was expected to be a int32 tensor but is a "
            f"{x.dtype.name} tensor [Op:UnicodeScript]"
        )
    if not _TABLES:
        _TABLES["pages"], _TABLES["scripts"] = table()
    outside = logical_or(less(x, 0), greater(x, 0x10FFFF))
    safe = where(outside, zeros_like(x), x)
    page = cast(gather(convert_to_tensor(_TABLES["pages"]), floordiv(safe, 256)), "int32")
    script = cast(gather(convert_to_tensor(_TABLES["scripts"]), add(multiply(page, 256), floormod(safe, 256))), "int32")
    return where(outside, zeros_like(script) - 1, script)
