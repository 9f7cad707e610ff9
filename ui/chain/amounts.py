"""Amounts as a person reads them at a glance: a few decimals, "≈" when cut (the exact
figure belongs in a tooltip or beside it)."""

from __future__ import annotations

from vault.chain.revert import format_units


def glance_units(value: int, unit: str = "BTK", places: int = 4) -> str:
    """``format_units`` with at most ``places`` decimals: "≈ 12.3456 BTK" when rounded
    down, "less than 0.0001 BTK" for a dust amount."""
    step = 10 ** (18 - places)
    if value % step == 0:
        return format_units(value, unit)
    if value < step:
        return f"less than {format_units(step, unit)}"
    return "≈ " + format_units(value - value % step, unit)
