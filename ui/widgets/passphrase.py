"""Passphrase entry: a masked field, and the new-passphrase form with a strength meter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QVBoxLayout, QWidget)

from vault.store.passphrase_strength import strength
from vault.store.vault_store import MIN_PASSPHRASE_LENGTH

from .messages import InlineMessage, reserve_lines
from .safe_default import on_enter


class PassphraseField(QLineEdit):
    def __init__(self, placeholder: str = "Passphrase", parent: QWidget | None = None):
        super().__init__(parent)
        self.setEchoMode(QLineEdit.Password)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder)   # a placeholder is not read out once typed into
        self.setAttribute(Qt.WA_InputMethodEnabled, False)  # no IME history of secrets
        self.setMinimumWidth(260)

    def set_revealed(self, revealed: bool) -> None:
        self.setEchoMode(QLineEdit.Normal if revealed else QLineEdit.Password)


class StrengthMeter(QWidget):
    """zxcvbn's score as a five-step bar, its label, and its advice."""

    LEVELS = ("very-weak", "weak", "fair", "strong", "very-strong")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setObjectName("strengthBar")
        self.bar.setRange(0, 5)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel()
        self.label.setObjectName("strengthLabel")
        self.advice = QLabel()
        self.advice.setObjectName("strengthAdvice")
        self.advice.setWordWrap(True)
        reserve_lines(self.advice, 2)   # advice appearing (it may wrap) moves not the field below
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        layout.addWidget(self.advice)
        self.update_for("")

    def update_for(self, passphrase: str) -> None:
        if not passphrase:
            self.score = None
            self.bar.setValue(0)
            self.label.setText("Strength: –")
            self.advice.setText("")
            self.advice.hide()
            level = "empty"
        else:
            result = strength(passphrase)
            self.score = result.score
            self.bar.setValue(result.score + 1)
            self.label.setText(f"Strength: {result.label}")
            self.advice.setText(result.advice)
            self.advice.setVisible(bool(result.advice))
            level = self.LEVELS[result.score]
        self.bar.setProperty("level", level)
        self.bar.style().unpolish(self.bar)
        self.bar.style().polish(self.bar)


class NewPassphraseForm(QWidget):
    """Passphrase twice, with a live strength meter, the minimum length and a match check.

    ``changed`` fires on every edit; ``is_valid()`` says whether the core will accept it.
    """

    changed = Signal()
    submitted = Signal()  # Enter in the second field

    def __init__(self, parent: QWidget | None = None, *, label: str = "Passphrase"):
        super().__init__(parent)
        self.passphrase = PassphraseField("At least %d characters" % MIN_PASSPHRASE_LENGTH)
        self.passphrase.setObjectName("newPassphrase")
        self.confirm = PassphraseField("The same passphrase again")
        self.confirm.setObjectName("confirmPassphrase")
        self.meter = StrengthMeter()
        self.reveal = QCheckBox("Show passphrase")
        self.message = InlineMessage(reserve=True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        form.setVerticalSpacing(8)
        form.addRow(label, self.passphrase)
        form.addRow("", self.meter)
        form.addRow("Repeat it", self.confirm)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.reveal)
        reveal_row.addStretch(1)
        form.addRow("", reveal_row)
        self.form_layout = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)

        self.passphrase.textChanged.connect(self._on_changed)
        self.confirm.textChanged.connect(self._on_changed)
        # Enter stops at these fields (not at a dialog's default button, Cancel in
        # ChangePassphraseDialog): on to the repeat, then submitted.
        on_enter(self.confirm, self.submitted.emit)
        on_enter(self.passphrase, self.confirm.setFocus)
        self.reveal.toggled.connect(self.passphrase.set_revealed)
        self.reveal.toggled.connect(self.confirm.set_revealed)

    def insert_row(self, label: str, field: QWidget) -> None:
        """Another field above the new passphrase, aligned with it (e.g. the current one)."""
        self.form_layout.insertRow(0, label, field)

    def value(self) -> str:
        return self.passphrase.text()

    def problem(self) -> str | None:
        """Why the passphrase cannot be used yet, or None."""
        first, second = self.passphrase.text(), self.confirm.text()
        if len(first) < MIN_PASSPHRASE_LENGTH:
            return f"A passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters."
        if first != second:
            return "The two passphrases do not match."
        return None

    def is_valid(self) -> bool:
        return self.problem() is None

    def _on_changed(self) -> None:
        first, second = self.passphrase.text(), self.confirm.text()
        self.meter.update_for(first)
        if not first:
            self.message.clear()
        elif len(first) < MIN_PASSPHRASE_LENGTH:
            missing = MIN_PASSPHRASE_LENGTH - len(first)
            self.message.hint(f"At least {MIN_PASSPHRASE_LENGTH} characters: "
                              f"{missing} more to go.")
        elif not second or (first.startswith(second) and len(second) < len(first)):
            self.message.clear()  # still typing the repeat
        elif first != second:
            self.message.error("The two passphrases do not match.")
        else:
            self.message.success("The passphrases match.")
        self.changed.emit()

    def set_enabled(self, enabled: bool) -> None:
        # Read-only rather than disabled: the focus stays where it was.
        self.passphrase.setReadOnly(not enabled)
        self.confirm.setReadOnly(not enabled)
        self.reveal.setEnabled(enabled)

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()
