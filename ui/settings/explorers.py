"""The Settings page's "Blockchain explorers" card: where verifying online reads the
transactions that Blockcerts credentials are anchored in (an esplora API for Bitcoin, a
JSON-RPC endpoint for Ethereum). Empty fields use the public defaults shown in them; a
choice is checked (vault.settings.check_explorer) before it is kept, beside the vault, so
`vault verify` follows it too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QWidget

from vault import settings as vault_settings
from vault.credentials.blockcerts_anchor import EXPLORERS

from ..errors import describe
from ..widgets import InlineMessage, button_row
from ..workers import TaskRunner
from .section import Section


class ExplorersSection(Section):
    changed = Signal()          # saved

    def __init__(self, data_dir: Path, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__("Blockchain explorers", "Blockcerts credentials are anchored in a Bitcoin or "
                                                 "Ethereum transaction. When status checks are online, the "
                                                 "vault reads that transaction from these services; they see "
                                                 "which transaction you asked for. Leave a field empty for "
                                                 "the public default shown in it.", parent)
        self.data_dir, self.tasks = Path(data_dir), tasks
        self.closed = False
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        for chain, default in EXPLORERS.items():
            field = QLineEdit()
            field.setPlaceholderText(default)
            field.setAccessibleName(f"{chain} explorer")
            self.fields[chain] = field
            form.addRow(chain, field)
        self.body.addLayout(form)
        self.message = InlineMessage(transient=True)
        self.body.addWidget(self.message)
        self.save_button = QPushButton("Save explorers")
        self.save_button.setAutoDefault(False)
        self.body.addLayout(button_row(leading=[self.save_button]))
        self.save_button.clicked.connect(self.save)
        self.show_saved()

    def show_saved(self) -> None:
        saved = dict(vault_settings.load_preferences(self.data_dir).explorers)
        for chain, field in self.fields.items():
            field.setText(saved.get(chain, ""))

    def save(self) -> None:
        self.save_button.setEnabled(False)
        job = self.tasks.run(vault_settings.set_explorers, self.data_dir,
                             {chain: field.text() for chain, field in self.fields.items()})
        job.finished.connect(self._on_saved)
        job.failed.connect(self._on_failed)

    def _on_saved(self, _preferences) -> None:
        if self.closed:
            return
        self.save_button.setEnabled(True)
        self.message.success("Saved. The next verification reads anchors there.")
        self.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.save_button.setEnabled(True)
        self.message.error(describe(exc))   # the fields keep what was typed, to correct it
