"""Enter never sends, signs, reveals or re-encrypts: in a dialog whose button does one of
those, the safe button (Cancel, Back, Close) is the default and has the focus, and the
dangerous one is neither default nor autoDefault, so it takes a click (or Space on it).

Inside a QDialog every QPushButton is autoDefault, so Enter presses whichever button has
the focus, else the default one; ``primary()`` made the action the default, which is
right for a form and wrong for "Confirm and send". Every dialog of the kind calls
``make_safe_default``; tests/ui/test_ui_enter_is_safe.py lists them and fails on a new
dialog that neither uses it nor says why it needs not.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

ENTER_KEYS = (Qt.Key_Return, Qt.Key_Enter)


def make_safe_default(dialog: QDialog, safe: QPushButton, *dangerous: QPushButton,
                      focus: QWidget | None = None) -> None:
    """Enter in ``dialog`` presses ``safe``, never one of ``dangerous``. The focus goes to
    ``focus`` (a field to fill first, e.g. a passphrase) or else to ``safe``. Call it again
    whenever the dialog comes back to the step (the focus moves)."""
    for button in dangerous:
        button.setAutoDefault(False)
        button.setDefault(False)
        button.setProperty("dangerous", True)
    safe.setAutoDefault(True)
    safe.setDefault(True)
    dialog.setProperty("safeDefault", True)
    (focus or safe).setFocus()


def enter_is_safe(dialog: QDialog) -> bool:
    """True when no button that sends, signs or reveals in ``dialog`` is pressed by Enter."""
    buttons = dialog.findChildren(QPushButton)
    dangerous = [b for b in buttons if b.property("dangerous")]
    return bool(dialog.property("safeDefault")) and bool(dangerous) and \
        not any(b.isDefault() or b.autoDefault() for b in dangerous)


class _Enter(QObject):
    def __init__(self, field: QWidget, action: Callable[[], object] | None):
        super().__init__(field)
        self.action = action

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() in ENTER_KEYS:
            if self.action is not None:
                self.action()
            return True   # handled: it does not reach the dialog's default button too
        return False


def on_enter(field: QWidget, action: Callable[[], object] | None = None) -> None:
    """Enter in ``field`` does ``action`` (nothing when None) and stops there. A line edit
    passes Enter on to its dialog, whose default is now Cancel: without this, typing a
    passphrase and pressing Enter would submit it and close the dialog at once."""
    field.installEventFilter(_Enter(field, action))
