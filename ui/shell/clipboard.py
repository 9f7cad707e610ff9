"""Copy secrets (a recovery phrase, a credential's raw text) so that they do not linger.

    copy_secret(text)

puts ``text`` on the clipboard with the platform's "this is a password" marks, so that
clipboard managers and clipboard history leave it out:

  Linux / BSD   x-kde-passwordManagerHint = "secret" (Klipper, GPaste, CopyQ, cliphist,
                wl-clip-persist and others honour it)
  Windows       ExcludeClipboardContentFromMonitorProcessing, and CanIncludeInClipboardHistory
                = CanUploadToCloudClipboard = DWORD 0 (Win+V history, cloud clipboard)
  macOS         org.nspasteboard.ConcealedType (the nspasteboard.org convention)

and clears the clipboard 30 s later if it still holds that text (whatever was copied
since is left alone). Locking the vault and quitting the app clear it early, with the
same check. Addresses and DIDs are not secrets: they go on the clipboard plainly.

The timer is injectable (anything with ``start(ms)``, ``stop()``, ``isActive()`` and a
``timeout`` signal), so tests expire it without waiting.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import sys

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QPlainTextEdit

log = logging.getLogger("blocktrack_vault.ui")

CLEAR_AFTER_MS = 30_000
KDE_HINT = "x-kde-passwordManagerHint"
MAC_CONCEALED = "application/x-nspasteboard-concealed-type"
MAC_CONCEALED_UTI = "org.nspasteboard.ConcealedType"


def _windows_format(name: str) -> str:
    # Qt's way to write a native clipboard format of exactly this name.
    return f'application/x-qt-windows-mime;value="{name}"'


_DWORD_ZERO = struct.pack("<I", 0)


def secret_hints(platform: str = sys.platform) -> dict[str, bytes]:
    """The extra clipboard formats that mark the content as a secret on ``platform``."""
    if platform.startswith("win"):
        return {_windows_format("ExcludeClipboardContentFromMonitorProcessing"): _DWORD_ZERO,
                _windows_format("CanIncludeInClipboardHistory"): _DWORD_ZERO,
                _windows_format("CanUploadToCloudClipboard"): _DWORD_ZERO}
    if platform == "darwin":
        return {MAC_CONCEALED: b"secret"}
    return {KDE_HINT: b"secret"}


def secret_mime_data(text: str, platform: str = sys.platform) -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    for fmt, value in secret_hints(platform).items():
        mime.setData(fmt, QByteArray(value))
    if platform == "darwin":
        _register_mac_converter()
    return mime


_mac_converter = None


def _register_mac_converter() -> None:
    """On macOS, Qt writes an unknown MIME type under a private UTI; map ours to
    org.nspasteboard.ConcealedType (Qt >= 6.5 has QUtiMimeConverter; when PySide6 does
    not expose it, the text is still cleared after the timeout)."""
    global _mac_converter
    if _mac_converter is not None:
        return
    try:
        from PySide6.QtGui import QUtiMimeConverter
    except ImportError:
        _mac_converter = False
        return

    class ConcealedType(QUtiMimeConverter):
        def canConvert(self, mime, uti):
            return mime == MAC_CONCEALED and uti == MAC_CONCEALED_UTI

        def mimeForUti(self, uti):
            return MAC_CONCEALED if uti == MAC_CONCEALED_UTI else ""

        def utiForMime(self, mime):
            return MAC_CONCEALED_UTI if mime == MAC_CONCEALED else ""

        def convertToMime(self, mime, data, uti):
            return data[0] if data else QByteArray()

        def convertFromMime(self, mime, data, uti):
            return [QByteArray(data)]

    try:
        _mac_converter = ConcealedType()
    except Exception:  # never let a clipboard nicety break copying
        log.warning("could not register the concealed pasteboard type", exc_info=True)
        _mac_converter = False


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class SecretClipboard(QObject):
    """Puts secrets on the clipboard and takes them off again (see the module doc)."""

    copied = Signal()
    cleared = Signal()

    def __init__(self, parent: QObject | None = None, *, clipboard: QClipboard | None = None,
                 timer=None, clear_after_ms: int = CLEAR_AFTER_MS, platform: str = sys.platform):
        super().__init__(parent)
        self._clipboard = clipboard
        self.platform = platform
        self.clear_after_ms = clear_after_ms
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
        self.timer = timer
        self.timer.timeout.connect(self.clear_if_ours)
        # Only a digest of what we copied is kept, not the secret itself.
        self._ours: bytes | None = None

    @property
    def clipboard(self) -> QClipboard:
        return self._clipboard or QGuiApplication.clipboard()

    @property
    def pending(self) -> bool:
        """A secret of ours may still be on the clipboard."""
        return self._ours is not None

    def copy(self, text: str) -> None:
        self.clipboard.setMimeData(secret_mime_data(text, self.platform), QClipboard.Clipboard)
        self._ours = _digest(text)
        self.timer.stop()
        self.timer.start(self.clear_after_ms)
        self.copied.emit()

    def holds_ours(self) -> bool:
        return self._ours is not None and _digest(self.clipboard.text(QClipboard.Clipboard)) == self._ours

    def clear_if_ours(self) -> bool:
        """Empty the clipboard if it still holds what we put there. True if it did."""
        self.timer.stop()
        ours = self.holds_ours()
        if ours:
            self.clipboard.clear(QClipboard.Clipboard)
            self.cleared.emit()
        self._ours = None
        return ours


_guard: SecretClipboard | None = None


def secret_clipboard() -> SecretClipboard:
    """The application's one SecretClipboard (cleared when the application quits)."""
    global _guard
    if _guard is None:
        app = QGuiApplication.instance()
        _guard = SecretClipboard(app)
        app.aboutToQuit.connect(_guard.clear_if_ours)
    return _guard


def set_secret_clipboard(guard: SecretClipboard | None) -> None:
    """Replace the application's SecretClipboard (tests inject one with a fake timer)."""
    global _guard
    _guard = guard


def copy_secret(text: str) -> None:
    secret_clipboard().copy(text)


class SecretPlainTextEdit(QPlainTextEdit):
    """A text view whose copies are secrets: Ctrl+C and the context menu's Copy go through
    ``copy_secret``; drags and the X11 selection carry the secret marks too."""

    def _selected(self) -> str:
        return self.textCursor().selection().toPlainText()

    def copy_selection(self) -> None:
        text = self._selected()
        if text:
            copy_secret(text)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.Copy):
            self.copy_selection()
            event.accept()
            return
        if event.matches(QKeySequence.Cut):
            self.copy_selection()
            if not self.isReadOnly():
                self.textCursor().removeSelectedText()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu(event.pos())
        for name, slot in (("edit-copy", self.copy_selection), ("edit-cut", self._cut)):
            action = next((a for a in menu.actions() if a.objectName() == name), None)
            if action is not None:
                ours = menu.addAction(action.text())
                ours.setEnabled(action.isEnabled())
                ours.setObjectName(name)
                ours.triggered.connect(slot)
                menu.insertAction(action, ours)
                menu.removeAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _cut(self) -> None:
        self.copy_selection()
        if not self.isReadOnly():
            self.textCursor().removeSelectedText()

    def createMimeDataFromSelection(self) -> QMimeData:
        return secret_mime_data(self._selected())
