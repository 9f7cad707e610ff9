"""PySide6 6.12.0 drops a reference to None on every void Qt call (setText, drawText,
processEvents…). On Python 3.11 None is not immortal, so after a few hundred repaints of
the credentials list the process aborts with "deallocating None". pyproject.toml excludes
that release; this test fails if an installed PySide6 has the bug again."""

import sys

import pytest
from PySide6.QtCore import QObject


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_qt_calls_keep_references_to_none(qapp):
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(2000):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) > before - 1500, "this PySide6 leaks references to None: pin another release"
