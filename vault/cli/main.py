"""`vault`: parse the command line, run the command, and turn what went wrong into a
message and an exit code (0 success, 1 the operation failed, 2 usage error, 130
interrupted). An unexpected exception is one line saying it is a bug, exit 1; its
traceback shows only with BLOCKTRACK_VAULT_DEBUG=1."""

from __future__ import annotations

import logging
import os
import sys

from .. import __version__, logs, paths
from ..errors import VaultError
from .io import UsageError, say
from .parser import parse_args

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.json = getattr(args, "json", False)
    args.passphrase_file = getattr(args, "passphrase_file", None)
    args.data_dir = paths.data_dir(getattr(args, "data_dir", None))
    command = " ".join(str(name) for name in (args.command, getattr(args, "sub", None)) if name)
    logs.setup(args.data_dir, verbose=args.verbose)
    log.debug("vault %s %s", command, __version__)
    try:
        code = args.func(args)
    except UsageError as exc:
        say(f"vault: error: {exc}")
        return 2
    except VaultError as exc:
        say(f"vault: {exc}")
        return 1
    except KeyboardInterrupt:
        print("vault: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vault credential list | head`: the reader left, not an error
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one line saying so, not a traceback (unless debugging)
        log.error("unexpected error in `vault %s`", command, exc_info=True)   # the traceback, in the log file
        return _unexpected(exc)
    return code or 0


def _unexpected(exc: Exception) -> int:
    if (said := _node_answer_error(exc)) is not None:  # a node's answer web3 could not decode
        print(f"vault: {said}", file=sys.stderr)
        return 1
    if os.environ.get("BLOCKTRACK_VAULT_DEBUG"):
        raise
    detail = (str(exc).splitlines() or [""])[0][:300]
    print(f"vault: Unexpected error: {type(exc).__name__}: {detail}. This is a bug; please report it "
          "with the command you ran (BLOCKTRACK_VAULT_DEBUG=1 shows where it happened).", file=sys.stderr)
    return 1


def _node_answer_error(exc: BaseException):
    if "web3" not in sys.modules and "eth_abi" not in sys.modules:  # no node was asked
        return None
    from ..chain.rpc_guard import as_chain_error   # start-up: ~3 ms, only for a bug's message

    return as_chain_error(exc)
