"""JSON text as Swift's ``JSONEncoder`` writes it for checkpoint metadata (``outputFormatting:
.sortedKeys``): keys sorted, no spaces, floats in their shortest round-trip form with a trailing
``.0`` dropped, ``/`` escaped, other characters as UTF-8.

``numpy.float32`` values are written as Swift writes a ``Float`` (the shortest decimal that reads back
as the same 32-bit float), Python floats as a ``Double``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def dumps(value: Any) -> str:
    """``value`` (dicts, lists, strings, bools, ints, floats, ``np.float32``, None) as Swift's JSON text."""
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, np.float32):
        return _number(str(value), float(value))
    if isinstance(value, (float, np.float64)):
        return _number(repr(float(value)), float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return "{" + ",".join(_string(str(k)) + ":" + dumps(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    raise TypeError(f"swift_json.dumps: cannot encode {type(value).__name__}")


def _number(text: str, value: float) -> str:
    if not np.isfinite(value):
        raise ValueError(f"swift_json.dumps: {value} has no JSON form")
    if "e" not in text and "E" not in text and text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def float32_list(values: Any) -> list[np.float32]:
    """A sequence of numbers as float32 values (written like Swift's ``[Float]``)."""
    return [np.float32(v) for v in np.asarray(values, dtype=np.float32).reshape(-1)]
