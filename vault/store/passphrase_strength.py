"""How strong a passphrase is, in words a person can act on (zxcvbn)."""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    advice: str


def strength(passphrase: str) -> Strength:
    if not passphrase:
        return Strength(0, LABELS[0], "Enter a passphrase.")
    # zxcvbn's cost grows with length; past 100 characters the extra tells us nothing.
    result = zxcvbn(passphrase[:100])
    feedback = result.get("feedback") or {}
    advice = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
    if not advice and result["score"] < 3:
        advice = "Add more words that are not a common phrase."
    return Strength(int(result["score"]), LABELS[int(result["score"])], advice)
