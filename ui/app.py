"""`blocktrack-vault [--data-dir DIR]`: the desktop app's entry point."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import resources
from vault import __version__, logs, paths
from vault.settings import load_preferences
from vault.store.kdf import DEFAULT_TARGET_SECONDS

from .config import AppConfig

STYLESHEET = resources.path("styles", "app.qss")
log = logging.getLogger("blocktrack_vault.ui")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blocktrack-vault",
        description="Blocktrack Vault: credentials, DIDs and keys, encrypted on this computer.",
        epilog="Credential files named after the options are imported once the vault is unlocked.")
    parser.add_argument("--data-dir", help="vault data folder (default: "
                        f"${paths.ENV_HOME} or the platform's user data folder)")
    parser.add_argument("--kdf-seconds", type=float, default=DEFAULT_TARGET_SECONDS,
                        help="when creating or restoring a vault, tune the key derivation to take "
                             "about this long here (default %(default)s; 0 = the floor)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug messages on stderr and "
                        "keep them in the data folder's logs/vault.log (never secrets)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def parse_args(argv: list[str]) -> tuple[AppConfig, list[str]]:
    """Our options, and whatever is left for Qt (-platform, -style …)."""
    args, rest = build_parser().parse_known_args(argv)
    # Files (a desktop's "Open with", `blocktrack-vault diploma.json`) are what is left that
    # names an existing file; the rest is Qt's (-platform xcb, -style …).
    files = tuple(str(Path(a).resolve()) for a in rest if not a.startswith("-") and Path(a).is_file())
    rest = [a for a in rest if a.startswith("-") or not Path(a).is_file()]
    return AppConfig(paths.data_dir(args.data_dir), args.kdf_seconds, verbose=args.verbose, open_files=files), rest


def setup_logging(config: AppConfig) -> None:
    """The core's and the window's records to <data dir>/logs/vault.log and stderr (vault.logs)."""
    logs.setup(config.data_dir, verbose=config.verbose)
    log.debug("blocktrack-vault %s", __version__)


def load_stylesheet(path: Path = STYLESHEET) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s not found; using the plain Qt look", path)
        return ""


def create_application(qt_argv: list[str] | None = None, theme: str | None = None):
    """The QApplication, styled (light, or ``theme``: system / light / dark). Reuses an
    existing one (tests, screenshots)."""
    # start-up: Qt (~60 ms and more) only once a window is wanted: --version and --help answer without it
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]] + list(qt_argv or []))
    app.setApplicationName("Blocktrack Vault")
    app.setOrganizationName("Blocktrack")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    font = QFontDatabase.systemFont(QFontDatabase.GeneralFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyleSheet(load_stylesheet())
    if theme is not None:
        # start-up: Qt modules, as above
        from .shell.theme import theme_controller
        theme_controller().set_choice(theme)
    return app


def main(argv: list[str] | None = None) -> int:
    config, qt_argv = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging(config)
    # The theme is known before the first window: a dark user never sees a light flash.
    app = create_application(qt_argv, theme=load_preferences(config.data_dir).theme)

    # start-up: Qt modules, as above
    from .main_window import MainWindow

    window = MainWindow(config)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
