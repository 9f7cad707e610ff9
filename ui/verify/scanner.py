"""Live scanning: frames (from a camera, or any QImage source) decoded by zxing-cpp off the
GUI thread, their codes joined by vault.qr's Collector until a whole presentation is in.

At most one frame is decoded at a time; frames that arrive meanwhile are dropped (a
camera gives 30 a second, decoding one takes 10-20 ms, or more when it holds no code).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from shiboken6 import isValid

from vault.qr import Collector
from vault.qr.errors import ForeignPart, InvalidQr

from ..errors import describe
from . import jobs


class FrameScanner(QObject):
    progress = Signal(str)        # e.g. "Part 2 of 3 read" (parts in any order)
    decoded = Signal(object)      # vault.qr.Decoded: the whole code, once
    problem = Signal(str)         # a damaged or foreign code; scanning goes on

    def __init__(self, tasks, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.collector = Collector()
        self.busy = False
        self.finished = False
        self.frames_decoded = 0

    def reset(self) -> None:
        self.collector.reset()
        self.finished = False

    def feed(self, image: QImage) -> bool:
        """Decode ``image`` unless a frame is being decoded; False when it was dropped."""
        if self.busy or self.finished or image.isNull():
            return False
        self.busy = True
        job = self.tasks.run(jobs.decode_frame, image.copy())
        job.finished.connect(self._on_texts)
        job.failed.connect(self._on_failed)
        return True

    def _on_texts(self, texts: list[str]) -> None:
        if not isValid(self):
            return
        self.busy = False
        self.frames_decoded += 1
        for text in dict.fromkeys(texts):
            if self.finished:
                return
            try:
                result = self.collector.add(text)
            except ForeignPart:
                # Another code came into view: follow the one on screen now.
                self.collector.reset()
                self.problem.emit("Another code came into view: starting over with it.")
                try:
                    result = self.collector.add(text)
                except InvalidQr as exc:
                    self.problem.emit(str(exc))
                    continue
            except InvalidQr as exc:
                self.collector.reset()
                self.problem.emit(str(exc))
                continue
            if result is not None:
                self.finished = True
                self.decoded.emit(result)
                return
            if self.collector.count:
                self.progress.emit(f"{len(self.collector.received)} of {self.collector.count} parts read; keep "
                                   "the code in view")

    def _on_failed(self, exc: BaseException) -> None:
        if isValid(self):
            self.busy = False
            self.problem.emit(describe(exc))
