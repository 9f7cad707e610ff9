"""The Settings page's "Network" card: the chain the vault uses, the embedded one on this
computer or a JSON-RPC node with its deployment manifest. The manifest is checked before
the choice is kept (vault.settings), on the TaskRunner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton,
                               QRadioButton, QWidget)

from vault import settings as vault_settings

from ..errors import describe
from ..widgets import BusyIndicator, InlineMessage, button_row
from ..workers import TaskRunner
from .section import Section


def save_network(data_dir: Path, kind: str, url: str, manifest: str):
    if kind == "rpc":
        return vault_settings.use_rpc_network(data_dir, url, manifest)
    return vault_settings.use_embedded_network(data_dir)


class NetworkSection(Section):
    changed = Signal()          # another network saved

    def __init__(self, data_dir: Path, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__("Network", "The blockchain the Wallet, Staking, Governance and Marketplace "
                                    "pages and soulbound credentials use (and the “vault chain” "
                                    "commands). The embedded chain is a local test chain: its BTK exist "
                                    "only on this computer. To use a shared network, choose its "
                                    "JSON-RPC node and its deployment manifest.", parent)
        self.data_dir, self.tasks = data_dir, tasks
        self.closed = False
        self._saved: tuple[str, str, str] | None = None
        self.network_group = QButtonGroup(self)
        self.embedded_radio = QRadioButton("Embedded chain, on this computer (default)")
        self.embedded_radio.setObjectName("networkEmbedded")
        self.rpc_radio = QRadioButton("A JSON-RPC node, with its deployment manifest")
        self.rpc_radio.setObjectName("networkRpc")
        self.network_group.addButton(self.embedded_radio)
        self.network_group.addButton(self.rpc_radio)
        self.body.addWidget(self.embedded_radio)
        self.body.addWidget(self.rpc_radio)
        self.rpc_url = QLineEdit()
        self.rpc_url.setObjectName("rpcUrl")
        self.rpc_url.setPlaceholderText("http://127.0.0.1:8545")
        self.manifest_path = QLineEdit()
        self.manifest_path.setObjectName("manifestPath")
        self.manifest_path.setAccessibleName("Deployment manifest")
        self.manifest_path.setPlaceholderText("deployment manifest (.json)")
        self.manifest_button = QPushButton("Choose…")
        manifest_row = QHBoxLayout()
        manifest_row.setSpacing(8)
        manifest_row.addWidget(self.manifest_path, 1)
        manifest_row.addWidget(self.manifest_button)
        self.rpc_form = QWidget()
        form = QFormLayout(self.rpc_form)
        form.setContentsMargins(26, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.addRow("Node URL", self.rpc_url)
        form.addRow("Manifest", manifest_row)
        self.body.addWidget(self.rpc_form)
        self.network_message = InlineMessage(transient=True)
        self.body.addWidget(self.network_message)
        self.network_busy = BusyIndicator()
        self.body.addWidget(self.network_busy)
        self.save_network_button = QPushButton("Use this network")
        self.body.addLayout(button_row(leading=[self.save_network_button]))
        self.embedded_radio.toggled.connect(self._update_form)
        self.rpc_url.textEdited.connect(self._update_form)
        self.manifest_path.textEdited.connect(self._update_form)
        self.manifest_button.clicked.connect(self.choose_manifest)
        self.save_network_button.clicked.connect(self.save)

    def show_saved(self) -> None:
        """Show the network the vault uses now."""
        try:
            profile = vault_settings.network_choice(self.data_dir)
        except Exception as exc:   # a damaged network.json: say so, offer to choose again
            self.network_message.error(describe(exc))
            profile = None
        rpc = profile is not None and profile.kind == "rpc"
        (self.rpc_radio if rpc else self.embedded_radio).setChecked(True)
        if rpc:
            self.rpc_url.setText(profile.url)
            self.manifest_path.setText(profile.manifest)
        self._saved = self._fields()
        self._update_form()

    def _fields(self) -> tuple[str, str, str]:
        kind = "rpc" if self.rpc_radio.isChecked() else "embedded"
        if kind == "embedded":
            return kind, "", ""
        return kind, self.rpc_url.text().strip(), self.manifest_path.text().strip()

    def _update_form(self, *_args) -> None:
        rpc = self.rpc_radio.isChecked()
        self.rpc_form.setEnabled(rpc)
        fields = self._fields()
        ready = not rpc or all(fields[1:])
        self.save_network_button.setEnabled(ready and fields != self._saved and not self.network_busy.running)

    def choose_manifest(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Deployment manifest", self.manifest_path.text()
                                              or str(Path.home()), "Manifests (*.json);;All files (*)")
        if path and not self.closed:
            self.manifest_path.setText(path)
            self._update_form()

    def save(self) -> None:
        kind, url, manifest = self._fields()
        self.network_message.clear()
        self.network_busy.start("Checking the manifest…" if kind == "rpc" else "Saving…")
        self.save_network_button.setEnabled(False)
        job = self.tasks.run(save_network, self.data_dir, kind, url, manifest)
        job.finished.connect(self._on_saved)
        job.failed.connect(self._on_failed)

    def _on_saved(self, profile) -> None:
        if self.closed:
            return
        self.network_busy.stop()
        self._saved = self._fields()
        self._update_form()
        where = "the embedded chain" if profile.kind == "embedded" else profile.display_url
        self.network_message.success(f"The vault will use {where}.")
        self.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        self.network_busy.stop()
        self.network_message.error(describe(exc))
        self._update_form()
