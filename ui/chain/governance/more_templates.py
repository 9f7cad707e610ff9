"""The "New proposal" dialog's forms for the templates registered in the core
(vault/chain/templates): a chooser and a form of each template's fields, built from the
fields alone, so that a feature's new template needs no GUI code."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from vault.chain import templates
from vault.chain.templates import KINDS

from ...widgets.labels import text_label

PLACEHOLDERS = {"address": "0x… address or did:pkh", "btk": "e.g. 1000", "bps": "e.g. 250 (= 2.5 %)",
                "int": "a whole number", "text": "", "bytes32": "0x… (32 bytes) or text to hash"}


class RegisteredTemplateForm(QWidget):
    """A combo of the registered templates and, under it, the chosen one's fields."""

    def __init__(self, label_width: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.templates = list(templates.registered().values())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.chooser = QComboBox()
        self.chooser.setObjectName("govMoreTemplate")
        self.chooser.setAccessibleName("Which action")
        self.words = text_label("", name="hintLabel")
        self.words.setWordWrap(True)
        self.stack = QStackedWidget()
        self.edits: dict[str, dict[str, QLineEdit]] = {}
        for template in self.templates:
            self.chooser.addItem(template.title, template.key)
            self.stack.addWidget(self._fields(template, label_width))
        layout.addWidget(self.chooser)
        layout.addWidget(self.words)
        layout.addWidget(self.stack)
        self.chooser.currentIndexChanged.connect(self._chosen)
        self._chosen(0)

    def _fields(self, template, label_width: int) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        edits = self.edits.setdefault(template.key, {})
        for field in template.fields:
            edit = QLineEdit()
            edit.setObjectName(f"field_{field.name}")
            edit.setPlaceholderText(PLACEHOLDERS.get(field.kind, ""))
            edit.setAccessibleName(field.label)
            edit.setToolTip(field.help or KINDS[field.kind])
            label = QLabel(field.label)
            label.setMinimumWidth(label_width)
            form.addRow(label, edit)
            edits[field.name] = edit
        return page

    def _chosen(self, index: int) -> None:
        if 0 <= index < len(self.templates):
            self.stack.setCurrentIndex(index)
            self.words.setText(self.templates[index].words)

    @property
    def key(self) -> str:
        return self.chooser.currentData()

    def call_maker(self):
        """gov -> Call for the chosen template, with the fields as typed (checked by the
        core on the chain thread, where a bad value becomes the dialog's error)."""
        key = self.key
        raw = {name: edit.text() for name, edit in self.edits[key].items()}
        return lambda gov: templates.make_call(gov, key, raw)

    def field_for(self, reason: str) -> QWidget | None:
        edits = list(self.edits.get(self.key, {}).values())
        return edits[0] if edits else None
