"""Data files shipped with the app: styles, icons, JSON-LD contexts, contracts, networks.

A package (with no code) so that a regular, non-editable install carries the files too.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)
