"""Text from outside (credentials, presentations, the chain) made safe to show.

Whoever wrote a credential chose every character of its names and claims. Characters
that are invisible or move other text around can make a screen or a terminal show
something else than what is there: U+202E turns "gpj.exe" around, an isolate
(U+2066-2069) moves "(name not verified)" out of sight, a carriage return overwrites the
line in a terminal, an escape sequence recolours it. Such characters are shown as what
they are, e.g. ⟨U+202E⟩, never obeyed. The GUI and the CLI pass every outside string
through ``safe_text`` before it reaches a widget or stdout.
"""

from __future__ import annotations

import unicodedata

# Invisible, but needed to write Persian and Indic scripts and emoji sequences; they do
# not reorder or hide text (ZWNJ, ZWJ).
_KEPT_FORMAT = frozenset("\u200c\u200d")
# Letters that draw nothing (Hangul fillers), used to make a name look empty or padded.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Unicode categories shown, not obeyed: controls (C0, C1, DEL), format characters
# (bidi embeddings, overrides, isolates and marks, zero-width space, BOM, tags…), lone
# surrogates, and the line / paragraph separators.
_SHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def mark(char: str) -> str:
    """How a neutralised character is shown."""
    return f"⟨U+{ord(char):04X}⟩"


def _neutralised(char: str, multiline: bool) -> bool:
    if char == "\t" or (char == "\n" and multiline):
        return False
    if char in _KEPT_FORMAT:
        return False
    return char in _BLANK_LETTERS or unicodedata.category(char) in _SHOWN_CATEGORIES


def safe_text(text, *, multiline: bool = False) -> str:
    """``text`` with every bidi control, invisible format character and control
    character shown as ⟨U+XXXX⟩. A line break is kept only where ``multiline`` (a
    description, a block of output); in a name or a title it would start a line that
    looks like the program's own, so it is shown too. Windows line ends (CR LF) count as
    one line break; a lone CR (which overwrites a terminal line) is shown."""
    if text is None:
        return ""
    text = text if isinstance(text, str) else str(text)
    if multiline:
        text = text.replace("\r\n", "\n")
    probe = text.replace("\t", "").replace("\n", "") if multiline else text.replace("\t", "")
    if probe.isprintable() and (text.isascii() or not any(c in text for c in _BLANK_LETTERS)):
        return text          # the usual case, checked in C: nothing to look at twice (no blank letter is ASCII)
    return "".join(mark(c) if _neutralised(c, multiline) else c for c in text)



def one_line(value, limit: int) -> str:
    """``value`` made safe on one line of at most ``limit`` characters: JSON words for
    true / false / null; longer text ends in "…", after its last whole word when one ends
    in the last third."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    text = safe_text(" ".join(str(value).split()))
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 2 // 3 else head).rstrip() + "…"
