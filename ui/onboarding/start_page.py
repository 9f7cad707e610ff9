from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ..widgets import CenteredPage, ElidedLabel, page_subtitle, page_title


class ChoiceButton(QPushButton):
    """A large button with a title and a line of explanation under it."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("choiceButton")
        self.setAccessibleName(title)
        self.title = QLabel(title)
        self.title.setObjectName("choiceTitle")
        self.description = QLabel(description)
        self.description.setObjectName("choiceDescription")
        self.description.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        for label in (self.title, self.description):
            label.setAttribute(Qt.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.setMinimumHeight(layout.sizeHint().height())
        self.setCursor(Qt.PointingHandCursor)

    def sizeHint(self):
        return self.layout().sizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)


class StartPage(CenteredPage):
    """Shown when the data folder holds no vault yet."""

    create_requested = Signal()
    restore_phrase_requested = Signal()
    restore_backup_requested = Signal()

    def __init__(self, data_dir, parent: QWidget | None = None):
        super().__init__(parent, max_width=560)
        self.body.addWidget(page_title("Welcome to Blocktrack Vault"))
        self.body.addWidget(page_subtitle(
            "Your credentials, DIDs and keys, encrypted on this computer and backed up by one "
            "recovery phrase. There is no vault in this folder yet:"))
        folder = ElidedLabel(str(data_dir))
        folder.setObjectName("folderLabel")
        self.body.addWidget(folder)
        self.body.addSpacing(8)
        self.create_button = ChoiceButton(
            "Create a new vault",
            "Choose a passphrase and get a new recovery phrase to write down.")
        self.create_button.setProperty("primary", True)
        self.restore_phrase_button = ChoiceButton(
            "Restore from recovery phrase",
            "Type the 12 or 24 words of an existing vault to get its DIDs and accounts back.")
        self.restore_backup_button = ChoiceButton(
            "Restore from a backup file",
            "Open an encrypted backup made by Blocktrack Vault, with its passphrase.")
        for button in (self.create_button, self.restore_phrase_button, self.restore_backup_button):
            self.body.addWidget(button)
        self.create_button.clicked.connect(self.create_requested)
        self.restore_phrase_button.clicked.connect(self.restore_phrase_requested)
        self.restore_backup_button.clicked.connect(self.restore_backup_requested)
