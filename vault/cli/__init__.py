"""The `vault` command line: the same core services the desktop app uses.

Exit codes: 0 success, 1 the operation failed (message on stderr), 2 usage error.
With --json, results go to stdout as JSON; messages never do.

main.py runs a command and maps its errors; parser.py assembles the parser from
commands/<group>.py; io.py is what is printed and asked; session.py what is opened and
closed (the vault, the chain).
"""

from .main import main

__all__ = ["main"]
