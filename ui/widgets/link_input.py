"""A protocol link typed or pasted, or a picture of its QR code pasted or opened: the input
of the "Receive from an offer" and "Answer a request" dialogs. What it hands on (``chosen``)
is read by the dialog off the GUI thread: the text, the PNG bytes of a pasted picture, or
the path of an image file."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from .layout import button_row, open_dialog

IMAGE_FILTERS = ("QR images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)", "Text files (*.txt)", "All files (*)")


class LinkInput(QWidget):
    chosen = Signal(object)          # str (the link as typed or pasted), bytes (a pasted PNG) or a path
    nothing_pasted = Signal()        # the clipboard held neither text nor a picture

    def __init__(self, name: str, placeholder: str, height: int, read_text: str, what: str,
                 parent: QWidget | None = None):
        """``name``: the text field's objectName; ``read_text``: the button that reads what
        was typed ("Show the offer"); ``what``: the thing in the file dialog's title."""
        super().__init__(parent)
        self.what = what
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.link = QPlainTextEdit()
        self.link.setObjectName(name)
        self.link.setPlaceholderText(placeholder)
        self.link.setMaximumHeight(height)
        layout.addWidget(self.link)
        self.paste_button = QPushButton("Paste")
        self.open_button = QPushButton("Open QR image…")
        self.read_button = QPushButton(read_text)
        layout.addLayout(button_row(self.read_button, leading=[self.paste_button, self.open_button]))
        self.paste_button.clicked.connect(self.paste)
        self.open_button.clicked.connect(self.choose_image)
        self.read_button.clicked.connect(lambda: self.chosen.emit(self.link.toPlainText()))

    def paste(self) -> None:
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        if mime is not None and mime.hasImage():
            buffer = QBuffer()
            buffer.open(QIODevice.WriteOnly)
            clipboard.image().save(buffer, "PNG")
            self.chosen.emit(bytes(buffer.data()))
        elif mime is not None and mime.hasText() and mime.text().strip():
            self.link.setPlainText(mime.text().strip())
            self.chosen.emit(mime.text())
        else:
            self.nothing_pasted.emit()

    def choose_image(self) -> None:
        dialog = QFileDialog(self, f"Open a QR image of the {self.what}")
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.setNameFilters(list(IMAGE_FILTERS))
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.chosen.emit)
        open_dialog(self.window(), dialog)
