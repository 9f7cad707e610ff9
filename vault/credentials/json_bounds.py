"""Bounds on a JSON document before anything recursive (pyld, rfc8785) walks it: at most
``MAX_DEPTH`` deep and ``MAX_VALUES`` values, JSON types only (split from jsonld.py)."""

from __future__ import annotations

from typing import Any

from .verdict import CredentialFailure, Reason

MAX_DEPTH = 64          # JSON nesting; OB 3.0 credentials use < 12
MAX_VALUES = 100_000    # JSON values (objects, arrays, scalars) in one document


def check_bounds(value: Any, what: str = "The credential") -> None:
    """MALFORMED unless ``value`` is JSON-shaped, at most MAX_DEPTH deep and MAX_VALUES big.

    Iterative, so that no input can exhaust the stack before pyld (which recurses) runs.
    Only containers go on the stack and each container's children are counted at once
    (every verification walks its whole document here: this was ~10 % of an
    eddsa-jcs-2022 check when every scalar was pushed and popped).
    """
    if not isinstance(value, (dict, list)):
        _check_scalar(value, what)
        return
    count = 1
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(what)
        count += len(item)
        if count > MAX_VALUES:
            raise CredentialFailure(Reason.MALFORMED, f"{what} is too large to verify "
                                    f"(more than {MAX_VALUES} JSON values).")
        if isinstance(item, dict):
            for key in item:
                if type(key) is not str and not isinstance(key, str):
                    raise CredentialFailure(Reason.MALFORMED, f"{what} is not JSON: a key is not a string.")
            children = item.values()
        else:
            children = item
        for child in children:
            kind = type(child)
            if kind is str or kind is int or kind is bool or child is None:
                continue
            if kind is dict or kind is list or isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            else:
                _check_scalar(child, what)


def _check_scalar(item: Any, what: str) -> None:
    if item is None or isinstance(item, (str, bool, int)):
        return
    if isinstance(item, float):
        if item != item or item in (float("inf"), float("-inf")):
            raise CredentialFailure(Reason.MALFORMED, f"{what} is not JSON: it holds NaN or infinity.")
        return
    raise CredentialFailure(Reason.MALFORMED, f"{what} is not JSON: it holds a {type(item).__name__}.")


def _too_deep(what: str) -> CredentialFailure:
    return CredentialFailure(Reason.MALFORMED, f"{what} is nested more than {MAX_DEPTH} levels deep; "
                             "no genuine credential is, so it is not verified.")
