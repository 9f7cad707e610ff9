"""Light, dark, or whatever the system uses.

The look is one stylesheet (resources/styles/app.qss); dark adds resources/styles/dark.qss
on top of it (later rules win) and a dark palette for what the stylesheet does not
paint (scroll bars, check marks, menus). "Follow the system" reads
QStyleHints.colorScheme and follows its changes while the app runs.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QDir, QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

import resources
from vault.settings import THEME_DARK, THEME_LIGHT, THEME_SYSTEM, THEMES

log = logging.getLogger("blocktrack_vault.ui")

LIGHT_STYLESHEET = resources.path("styles", "app.qss")
DARK_STYLESHEET = resources.path("styles", "dark.qss")


def _read(path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s not found; using the plain Qt look", path)
        return ""


def stylesheet(scheme: str) -> str:
    """The application stylesheet for ``scheme`` ("light" or "dark")."""
    if str(resources.path("icons")) not in QDir.searchPaths("icons"):
        QDir.addSearchPath("icons", str(resources.path("icons")))   # url(icons:…) in the sheets
    text = _read(LIGHT_STYLESHEET)
    if scheme == THEME_DARK:
        text += "\n" + _read(DARK_STYLESHEET)
    return text


def system_scheme() -> str:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return THEME_DARK if scheme == Qt.ColorScheme.Dark else THEME_LIGHT


def effective_scheme(choice: str) -> str:
    """"light" or "dark" for a theme choice (system / light / dark)."""
    if choice in (THEME_LIGHT, THEME_DARK):
        return choice
    return system_scheme()


def dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.Window: "#161b22", QPalette.WindowText: "#e6e9ee", QPalette.Base: "#1c222b",
        QPalette.AlternateBase: "#212833", QPalette.Text: "#e6e9ee", QPalette.Button: "#252c37",
        QPalette.ButtonText: "#e6e9ee", QPalette.BrightText: "#ffffff", QPalette.Highlight: "#3d6fe0",
        QPalette.HighlightedText: "#ffffff", QPalette.ToolTipBase: "#2b3340",
        QPalette.ToolTipText: "#f0f3f6", QPalette.PlaceholderText: "#8b95a3", QPalette.Link: "#7aa2f7",
        QPalette.Light: "#3a4350", QPalette.Midlight: "#2f3742", QPalette.Mid: "#262d37",
        QPalette.Dark: "#0f1318", QPalette.Shadow: "#000000",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#6b7480"))
    return p


class ThemeController(QObject):
    """Applies a theme choice to the application and keeps "system" in step."""

    applied = Signal(str)   # "light" or "dark"

    def __init__(self, app, parent: QObject | None = None):
        super().__init__(parent)
        self.app = app
        self.choice = THEME_SYSTEM
        self.scheme: str | None = None     # what is applied now
        self._light_palette = QPalette(app.palette())
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_changed)

    def set_choice(self, choice: str) -> str:
        if choice not in THEMES:
            choice = THEME_SYSTEM
        self.choice = choice
        hints = self.app.styleHints()
        # Tell Qt too (6.8+), so native dialogs and the Fusion style agree with us.
        if choice == THEME_SYSTEM and hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        elif hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if choice == THEME_DARK else Qt.ColorScheme.Light)
        return self.apply()

    def apply(self) -> str:
        scheme = effective_scheme(self.choice)
        if scheme != self.scheme:
            self.scheme = scheme
            self.app.setPalette(dark_palette() if scheme == THEME_DARK else self._light_palette)
            self.app.setStyleSheet(stylesheet(scheme))
            self.applied.emit(scheme)
        return scheme

    def _on_system_changed(self, _scheme) -> None:
        if self.choice == THEME_SYSTEM:
            self.apply()


_controller: ThemeController | None = None


def theme_controller() -> ThemeController:
    """The application's one ThemeController."""
    global _controller
    app = QGuiApplication.instance()
    if _controller is None or _controller.app is not app:
        _controller = ThemeController(app, app)
        if app.styleSheet() == stylesheet(THEME_LIGHT):   # create_application() put it on
            _controller.scheme = THEME_LIGHT
    return _controller
