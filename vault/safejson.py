"""json.loads for untrusted input, with a nesting limit checked before parsing.

eth-account imports py_ecc, which raises Python's recursion limit to 100,000 for the
whole process. The C JSON parser then no longer stops at a RecursionError on input such
as "[[[[…" but overflows the C stack and kills the process. Every parse of outside data
(credentials, tokens, QR payloads, files) goes through here instead, so such input is a
ValueError like any other malformed JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 256
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "[]{}"))


class TooDeep(ValueError):
    pass


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    if text.count("[") + text.count("{") <= max_depth:
        return  # cannot be deeper than its number of openers
    depth = 0
    for char in _STRINGS.sub("", text).translate(_BRACKETS):
        if char in "[{":
            depth += 1
            if depth > max_depth:
                raise TooDeep(f"nested more than {max_depth} levels deep")
        elif char in "]}":
            depth -= 1


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH, **kwargs) -> Any:
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    check_depth(text, max_depth)
    return json.loads(text, **kwargs)
