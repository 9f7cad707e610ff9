"""The diagnostic log of the `vault` command line and the desktop app.

The core logs with ``logging.getLogger(__name__)``; an exception it handles without
passing it on gets a debug line. ``setup`` (called once by each entry point) sends the
records of our loggers to ``<data dir>/logs/vault.log`` (0600 in a 0700 folder, rotating,
at most ~1.5 MB in all) and to stderr: WARNING and up, everything with ``-v``.

Nothing secret may reach a log. Messages name types and ids, never values; and what the
formatter can enforce, it does: an exception is written as its type and the frames it
went through, never its message (a library's parse error quotes its input, which can be
a credential's claims or a phrase), and an exception given as an argument is written as
its type. A record with a traceback reaches stderr only with ``-v`` (the command line and
the window say what failed in a sentence of their own); the file always has it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path

LOG_FOLDER = "logs"
LOG_NAME = "vault.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2
# The core (vault.*), the GUI's modules (ui.*) and the GUI's older logger names.
OUR_LOGGERS = ("vault", "ui", "blocktrack_vault")
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STDERR_FORMAT = "%(name)s: %(message)s"

_installed: list[logging.Handler] = []


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_FOLDER / LOG_NAME


def _qualname(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def exception_summary(exc: BaseException) -> str:
    """A traceback without any exception's message: the chain of types, each with the
    frames (file, line, function, source line) it was raised through."""
    chain, seen, current = [], set(), exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for index, item in enumerate(reversed(chain)):
        if index:
            parts.append("\nwhich led to:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        parts.append(f"{_qualname(type(item))} (message not logged)")
    return "".join(parts)


def _scrub(value: object) -> object:
    return f"<{_qualname(type(value))}>" if isinstance(value, BaseException) else value


class RedactingFormatter(logging.Formatter):
    """Exceptions as their types and frames only (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        # A copy: another handler may have cached its own rendering of the traceback.
        record = logging.makeLogRecord(record.__dict__)
        record.exc_text = None
        record.msg = _scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _scrub(arg) for key, arg in record.args.items()}
        return super().format(record)

    def formatException(self, ei) -> str:
        return exception_summary(ei[1]) if ei[1] is not None else ""


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opened (first when a record comes: a session that logs nothing leaves no folder)
    0600, without following a planted symlink; the folder 0700."""

    def __init__(self, path: Path):
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)

    def _open(self):
        folder = os.path.dirname(self.baseFilename)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)   # a file made looser by hand is tightened again
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class _StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a record comes (tests swap it)."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def setup(data_dir: Path, *, verbose: bool = False) -> list[logging.Handler]:
    """Send our loggers' records to the data folder's log file and to stderr. Called
    again (tests, a second session in one process), it replaces what it set up."""
    reset()
    level = logging.DEBUG if verbose else logging.WARNING
    to_file = PrivateRotatingFileHandler(log_path(data_dir))
    to_file.setFormatter(RedactingFormatter(FILE_FORMAT))
    to_stderr = _StderrHandler()
    to_stderr.setFormatter(RedactingFormatter(STDERR_FORMAT))
    if not verbose:
        to_stderr.addFilter(lambda record: record.exc_info is None)
    for handler in (to_file, to_stderr):
        handler.setLevel(level)
        _installed.append(handler)
    for name in OUR_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        for handler in _installed:
            logger.addHandler(handler)
    return list(_installed)


def reset() -> None:
    """Undo ``setup``: our loggers back to no handler of ours, the log file closed."""
    for name in OUR_LOGGERS:
        logger = logging.getLogger(name)
        for handler in _installed:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    for handler in _installed:
        handler.close()
    _installed.clear()
