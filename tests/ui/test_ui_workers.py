import threading

import pytest

from ui.workers import TaskRunner
from vault.errors import WrongPassphrase


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait()


def test_result_comes_back_in_the_gui_thread(qtbot, tasks):
    gui = threading.get_ident()
    seen = {}

    def work(a, b=0):
        seen["thread"] = threading.get_ident()
        return a + b

    job = tasks.run(work, 2, b=3)
    with qtbot.waitSignal(job.finished) as blocker:
        pass
    assert blocker.args == [5]
    assert seen["thread"] != gui
    qtbot.waitUntil(lambda: tasks.active == 0)


def test_exception_comes_back_as_failed(qtbot, tasks):
    def work():
        raise WrongPassphrase()

    job = tasks.run(work)
    finished = []
    job.finished.connect(finished.append)
    with qtbot.waitSignal(job.failed) as blocker:
        pass
    assert isinstance(blocker.args[0], WrongPassphrase)
    assert not finished


def test_receiver_deleted_before_the_result(qtbot, tasks):
    from PySide6.QtWidgets import QLabel
    release = threading.Event()
    label = QLabel()
    job = tasks.run(lambda: release.wait(5) and "done")
    job.finished.connect(label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label))
    with qtbot.waitSignal(job.done):
        release.set()


def _alive(obj) -> bool:
    from shiboken6 import isValid
    return isValid(obj)
