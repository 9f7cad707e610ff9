"""RFC 8785 JSON Canonicalization Scheme (JCS): ``rfc8785`` is the implementation; this
module adds a fast path through the standard library for the common case.

rfc8785 is pure Python (~30 µs for an Open Badge, a quarter of an eddsa-jcs-2022 check).
``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` runs in C and
writes the same bytes when, and only when, the value holds:

* objects whose keys are strings without surrogates or characters beyond U+FFFF: JCS
  sorts keys by UTF-16 code units, Python by code points, and the two orders differ only
  where a surrogate pair (a character above U+FFFF) meets U+E000-U+FFFF;
* no floats: JCS writes numbers as ECMAScript does (1e+21, 1e-7, no ".0"), Python as repr;
* integers within ±(2**53 - 1), the range rfc8785 accepts (it refuses the others);
* strings, booleans, null, lists: escaped alike (\\" \\\\ \\b \\f \\n \\r \\t, other controls
  as \\u00xx in lower case, everything else as UTF-8), except a lone surrogate, which JCS
  refuses and UTF-8 cannot encode.

``dumps`` checks those conditions on the value itself, exactly as listed, and hands
anything else (and a lone surrogate in a string) to rfc8785, whose errors are then the
caller's. tests/credentials/test_jcs.py compares both on generated values byte for byte.
"""

from __future__ import annotations

import json
import re

import rfc8785

# A key character whose UTF-16 order differs from its code point order, or that has no
# UTF-16 / UTF-8 form (a lone surrogate).
_KEY_NOT_BMP = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")
_SAFE_INT = 2**53 - 1
# Containers looked at before giving up on the fast path (a value with a cycle never ends).
_MAX_CONTAINERS = 100_000
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _plain(value) -> bool:
    """True if stdlib json writes ``value`` as JCS does (see the module's conditions)."""
    stack, budget = [value], _MAX_CONTAINERS
    while stack:
        budget -= 1
        if budget < 0:
            return False
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            for key in node:
                if type(key) is not str or (not key.isascii() and _KEY_NOT_BMP.search(key)):
                    return False
            items = node.values()
        elif kind is list:
            items = node
        else:
            items = (node,)
        for item in items:
            kind = type(item)
            if kind is str or kind is bool or item is None:
                continue
            if kind is dict or kind is list:
                stack.append(item)
            elif kind is not int or not -_SAFE_INT <= item <= _SAFE_INT:
                return False   # a float, a big integer, or no JSON type (rfc8785 says which)
    return True


def dumps(value) -> bytes:
    """The JCS form of ``value`` as UTF-8 bytes, as ``rfc8785.dumps`` gives it (and its
    errors, e.g. rfc8785.IntegerDomainError, for what JCS cannot represent)."""
    if _plain(value):
        try:
            return _encode(value).encode("utf-8")
        except UnicodeEncodeError:   # a lone surrogate in a string: rfc8785 refuses it
            pass
    return rfc8785.dumps(value)
