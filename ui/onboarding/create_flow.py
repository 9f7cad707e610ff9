"""Create a vault: passphrase -> (Argon2id, off the GUI thread) -> recovery phrase -> confirm it.

The core makes the vault and its phrase in one call (``Identity.create``), so the vault
exists once the phrase is shown; the flow only lets the person into the vault after they
have picked the words back in order.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout,
                               QLabel, QPushButton, QRadioButton, QStackedWidget, QWidget)

from ..config import AppConfig
from ..errors import describe
from ..widgets import (BusyIndicator, CenteredPage, InlineMessage, NewPassphraseForm, PhraseGrid,
                       button_row, page_subtitle, page_title)
from ..widgets.layout import primary
from ..widgets.phrase_grid import columns_for
from ..workers import TaskRunner
from . import jobs


class PassphraseStep(CenteredPage):
    created = Signal(object, str)  # identity, recovery phrase
    back_requested = Signal()

    def __init__(self, config: AppConfig, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent, max_width=580)
        self.config, self.tasks = config, tasks
        self.body.addWidget(page_title("Create a new vault"))
        self.body.addWidget(page_subtitle(
            "Choose a passphrase. It encrypts the vault on this computer and you will type it "
            "each time you unlock. If you forget it, only the recovery phrase gets you back in."))
        self.form = NewPassphraseForm()
        self.body.addWidget(self.form)

        words_row = QHBoxLayout()
        words_row.addWidget(QLabel("Recovery phrase length"))
        self.words12 = QRadioButton("12 words")
        self.words24 = QRadioButton("24 words")
        self.words12.setChecked(True)
        self.words_group = QButtonGroup(self)
        self.words_group.addButton(self.words12, 12)
        self.words_group.addButton(self.words24, 24)
        words_row.addSpacing(12)
        words_row.addWidget(self.words12)
        words_row.addWidget(self.words24)
        words_row.addStretch(1)
        self.body.addLayout(words_row)

        self.error = InlineMessage()
        self.busy = BusyIndicator()
        self.back_button = QPushButton("Back")
        self.create_button = primary(QPushButton("Create vault"))
        self.body.addWidget(self.error)
        self.body.addWidget(self.busy)
        self.body.addSpacing(4)
        self.body.addLayout(button_row(self.create_button, leading=[self.back_button]))

        self.form.changed.connect(self._update_button)
        self.form.submitted.connect(self.submit)
        self.create_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back_requested)
        self._update_button()

    def words(self) -> int:
        return self.words_group.checkedId()

    def _update_button(self) -> None:
        self.create_button.setEnabled(self.form.is_valid() and not self.busy.running)

    def submit(self) -> None:
        if not self.form.is_valid() or self.busy.running:
            return
        self.error.clear()
        self._set_busy(True)
        job = self.tasks.run(jobs.create_vault, self.config.data_dir, self.form.value(),
                             self.words(), self.config.kdf_target)
        job.finished.connect(self._on_created)
        job.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self.busy.start("Creating your vault and tuning its encryption to this computer…")
        else:
            self.busy.stop()
        self.form.set_enabled(not busy)
        for widget in (self.words12, self.words24, self.back_button):
            widget.setEnabled(not busy)
        self._update_button()

    def _on_created(self, result) -> None:
        identity, phrase = result
        self._set_busy(False)
        self.form.clear()
        self.created.emit(identity, phrase)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.error(describe(exc))


class PhraseStep(CenteredPage):
    continue_requested = Signal()

    def __init__(self, words: list[str], parent: QWidget | None = None):
        super().__init__(parent, max_width=680)
        self.body.addWidget(page_title("Your recovery phrase"))
        warning = QLabel(
            f"Write these {len(words)} words on paper, in this order, and keep it somewhere "
            "safe and offline. They restore every DID and account of this vault: anyone who "
            "has them has your identity, and without them a forgotten passphrase or a lost "
            "computer means a lost vault. Do not photograph them or store them in a file.")
        warning.setObjectName("warningBox")
        warning.setWordWrap(True)
        self.body.addWidget(warning)
        self.grid = PhraseGrid(words)
        self.body.addWidget(self.grid)
        self.written = QCheckBox(f"I have written down all {len(words)} words, in order")
        self.body.addWidget(self.written)
        self.continue_button = primary(QPushButton("Continue"))
        self.continue_button.setEnabled(False)
        self.body.addLayout(button_row(self.continue_button))
        self.written.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.continue_requested)


class ConfirmStep(CenteredPage):
    """Pick the words back in order from shuffled buttons; a wrong pick is refused."""

    confirmed = Signal()
    back_requested = Signal()

    def __init__(self, words: list[str], parent: QWidget | None = None,
                 rng: random.Random | None = None):
        super().__init__(parent, max_width=680)
        self.words = list(words)
        self.picked = 0
        self.body.addWidget(page_title("Confirm your recovery phrase"))
        self.body.addWidget(page_subtitle(
            "To be sure your copy is right, pick the words in the order you wrote them down."))

        slots = QFrame()
        slots.setObjectName("phraseGrid")
        slot_grid = QGridLayout(slots)
        slot_grid.setContentsMargins(16, 14, 16, 14)
        slot_grid.setHorizontalSpacing(12)
        slot_grid.setVerticalSpacing(6)
        columns = columns_for(len(words))
        self.slots: list[QLabel] = []
        for i in range(len(words)):
            slot = QLabel()
            slot.setObjectName("phraseSlot")
            slot_grid.addWidget(slot, i // columns, i % columns)
            self.slots.append(slot)
        for column in range(columns):
            slot_grid.setColumnStretch(column, 1)
        self.body.addWidget(slots)

        self.prompt = QLabel()
        self.prompt.setObjectName("confirmPrompt")
        self.body.addWidget(self.prompt)
        choices = QWidget()
        choice_grid = QGridLayout(choices)
        choice_grid.setContentsMargins(0, 0, 0, 0)
        choice_grid.setSpacing(8)
        shuffled = list(words)
        (rng or random.SystemRandom()).shuffle(shuffled)
        self.word_buttons: list[QPushButton] = []
        for i, word in enumerate(shuffled):
            button = QPushButton(word)
            button.setObjectName("wordChoice")
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.StrongFocus)
            button.clicked.connect(lambda _=False, b=button: self.pick(b))
            choice_grid.addWidget(button, i // columns, i % columns)
            self.word_buttons.append(button)
        self.body.addWidget(choices)

        self.message = InlineMessage()
        self.body.addWidget(self.message)
        self.back_button = QPushButton("Show the phrase again")
        self.reset_button = QPushButton("Start over")
        self.done_button = primary(QPushButton("Open my vault"))
        self.body.addLayout(button_row(self.reset_button, self.done_button, leading=[self.back_button]))
        self.back_button.clicked.connect(self.back_requested)
        self.reset_button.clicked.connect(self.reset)
        self.done_button.clicked.connect(self._finish)
        self.reset()

    @property
    def complete(self) -> bool:
        return self.picked == len(self.words)

    def expected(self) -> str:
        return self.words[self.picked]

    def pick(self, button: QPushButton) -> bool:
        if self.complete or not button.isEnabled():
            return False
        if button.text() != self.expected():
            self.message.error(f"“{button.text()}” is not word {self.picked + 1}. "
                               "Check your paper and try again.")
            return False
        button.setEnabled(False)
        self.slots[self.picked].setText(f"{self.picked + 1}. {button.text()}")
        self.slots[self.picked].setProperty("filled", True)
        self._repolish(self.slots[self.picked])
        self.picked += 1
        self.message.clear()
        self._update()
        return True

    def reset(self) -> None:
        self.picked = 0
        for i, slot in enumerate(self.slots):
            slot.setText(f"{i + 1}. ")
            slot.setProperty("filled", False)
            self._repolish(slot)
        for button in self.word_buttons:
            button.setEnabled(True)
        self.message.clear()
        self._update()

    def _update(self) -> None:
        if self.complete:
            self.prompt.setText("All words are in the right order.")
            self.message.success("Your recovery phrase is confirmed.")
        else:
            self.prompt.setText(f"Pick word {self.picked + 1} of {len(self.words)}:")
        self.done_button.setEnabled(self.complete)
        if self.complete:
            self.done_button.setFocus()

    def _finish(self) -> None:
        if self.complete:
            self.confirmed.emit()

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class CreateVaultFlow(QStackedWidget):
    """The three steps; ``completed(identity)`` once the phrase is confirmed."""

    vault_created = Signal(object)  # identity: the vault exists (and is open) from here on
    completed = Signal(object)
    cancelled = Signal()

    def __init__(self, config: AppConfig, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.identity = None
        self.passphrase_step = PassphraseStep(config, tasks)
        self.phrase_step: PhraseStep | None = None
        self.confirm_step: ConfirmStep | None = None
        self.addWidget(self.passphrase_step)
        self.passphrase_step.created.connect(self._on_created)
        self.passphrase_step.back_requested.connect(self.cancelled)

    def _on_created(self, identity, phrase: str) -> None:
        self.identity = identity
        words = phrase.split()
        self.phrase_step = PhraseStep(words)
        self.confirm_step = ConfirmStep(words)
        self.addWidget(self.phrase_step)
        self.addWidget(self.confirm_step)
        # The vault exists now: there is no going back to the passphrase step.
        self.removeWidget(self.passphrase_step)
        self.passphrase_step.deleteLater()
        self.passphrase_step = None
        self.setCurrentWidget(self.phrase_step)
        self.phrase_step.continue_requested.connect(self._to_confirm)
        self.confirm_step.back_requested.connect(lambda: self.setCurrentWidget(self.phrase_step))
        self.confirm_step.confirmed.connect(self._on_confirmed)
        self.vault_created.emit(identity)

    def _on_confirmed(self) -> None:
        self.identity.confirm_phrase()
        self.completed.emit(self.identity)

    def _to_confirm(self) -> None:
        self.confirm_step.reset()
        self.setCurrentWidget(self.confirm_step)
