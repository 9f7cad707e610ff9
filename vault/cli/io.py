"""What the command line says and asks: results on stdout (text, or JSON with --json),
guidance on stderr, yes/no questions in one wording, secrets from a file, the
environment or a prompt. A UsageError is a command used wrongly (exit 2)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from ..safe_text import one_line, safe_text

ENV_PASSPHRASE = "BLOCKTRACK_VAULT_PASSPHRASE"


class UsageError(Exception):
    pass


# ---- output ---------------------------------------------------------------------------

def _typed(value):
    """A core result (a dataclass with integer wei) as its JSON: ``to_json()``."""
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def emit(args, data, text: str | None = None) -> None:
    if args.json:
        json.dump(data, sys.stdout, indent=2, default=_typed)
        sys.stdout.write("\n")
    elif text is not None:   # much of it is outside text: no bidi or escape sequence obeyed
        print(safe_text(text, multiline=True))


def say(message: str) -> None:
    """Guidance for a person, on stderr so stdout stays clean for pipes."""
    print(safe_text(message, multiline=True), file=sys.stderr)


def claim_lines(claims, indent: str) -> list[str]:
    """Flattened claims (path, value) as `path = value` lines, each value on one line,
    cut with "…" (credential show, verify)."""
    return [f"{indent}{safe_text(path)} = {one_line(value, 100)}" for path, value in claims]


def confirm(question: str) -> bool:
    """Ask ``question`` on the terminal: only y or yes is a yes."""
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


# ---- input files and passphrases ------------------------------------------------------

def read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    return text[:-1] if text.endswith("\n") else text  # one trailing newline from editors/echo


def prompt_secret(label: str, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        raise UsageError(f"no passphrase given: use --passphrase-file or set {ENV_PASSPHRASE}")
    value = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass(f"{label} (again): ") != value:
        raise UsageError("the two passphrases differ")
    return value


def passphrase(args, *, new: bool = False) -> str:
    if args.passphrase_file:
        return read_secret_file(args.passphrase_file)
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    return prompt_secret("New passphrase" if new else "Passphrase", confirm=new)


def has_noninteractive_passphrase(args) -> bool:
    return bool(args.passphrase_file or os.environ.get(ENV_PASSPHRASE))


def warn_if_weak(args, value: str) -> None:
    from ..store.passphrase_strength import strength   # start-up: zxcvbn ~60 ms, only for a new passphrase

    score = strength(value)
    if score.score < 3 and not args.json:
        say(f"warning: this passphrase is {score.label.lower()}. {score.advice}")
