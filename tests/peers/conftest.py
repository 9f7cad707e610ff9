"""Peer-implementation tests: make the helper module ``node`` importable however pytest
imports test modules (the default prepend mode adds this folder already; importlib mode
does not)."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
