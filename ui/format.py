"""Words for numbers, times and addresses, the same on every page.

Pure Python (no Qt): the pages and their tests call these directly. Amounts at a glance
stay in ui.chain.amounts; exact amounts and basis points come from the core
(vault.chain.revert.format_units / percent).
"""

from __future__ import annotations

from datetime import datetime, timedelta


# ---- addresses ------------------------------------------------------------------------------

def short_address(address: str, head: int = 8, tail: int = 6) -> str:
    """"0x9858Ef…caEda94": both ends stay (people compare those); the full address belongs
    in a tooltip or beside it. A narrow table column asks for fewer characters."""
    if len(address) <= head + tail + 1:
        return address
    return f"{address[:head]}…{address[-tail:]}"


# ---- counts ----------------------------------------------------------------------------------

def blocks_text(n: int) -> str:
    """"1 block", "1,200 blocks": waits on the chain are counted in blocks."""
    return f"{n:,} block" + ("" if n == 1 else "s")


def percent_text(value: float) -> str:
    """A share already in percent (not basis points): "125.07 %", "0 %"."""
    return f"{value:g} %"


# ---- durations --------------------------------------------------------------------------------

def duration(seconds: int) -> str:
    """To the second while it is short, for a countdown that ticks: 12 s, 4 min 10 s,
    1 h 59 min, 2 d 3 h."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 10:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def duration_words(seconds: float, *, round_down: bool = False) -> str:
    """To the minute, for an estimate or a window: 'less than a minute', '8 min',
    '2 h 5 min', '3 days 4 h'. ``round_down`` for the time left until a moment the chain
    fixed (never more than is left)."""
    seconds = max(0.0, seconds)
    minutes = int(seconds // 60) if round_down else round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")


# ---- moments ----------------------------------------------------------------------------------

def clock_in(seconds: int, now: datetime | None = None) -> str:
    """The local time ``seconds`` from now: "15:04" today, else "Tue 12 Mar 15:04"."""
    now = now or datetime.now()
    at = now + timedelta(seconds=max(0, int(seconds)))
    return at.strftime("%H:%M") if at.date() == now.date() else at.strftime("%a %d %b %H:%M")


def local_moment(moment: datetime, *, year: bool = False) -> str:
    """'Sat 21 Nov, 14:05' (or 'Sat 21 Nov 2026, 14:05') in the computer's time zone: the
    month in words, never ambiguous as 03/04 is."""
    local = moment.astimezone()
    shown_year = f" {local:%Y}" if year else ""
    return f"{local:%a} {local.day} {local:%b}{shown_year}, {local:%H:%M}"


def local_time(iso: str) -> str:
    """A stored timestamp (ISO 8601) as a local date and time that sorts: 2026-03-10 14:05."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""
