"""Batch issuing from a CSV of recipients: all rows or none.

The CSV is outside data (a spreadsheet export, or worse). It is read within bounds
(size, rows, cell length), as UTF-8 text without NUL bytes, with a header naming known
columns only. Every row is checked before anything is signed; a bad row is reported by
its line number (as a spreadsheet numbers it, the header being line 1) and nothing of the
batch is issued. A cell that starts like a formula (= + - @) is refused: it would run
when the file, or the issued log exported from it, is opened in a spreadsheet.

Columns: ``recipient`` (required: a DID or an Ethereum address), ``note``,
``evidence_url``, ``evidence_name``, ``evidence_narrative``, ``valid_from``,
``valid_until`` (ISO 8601 dates or date-times; a date alone is midnight UTC).
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timezone

from ..errors import BatchError, InvalidDid, IssuingError
from .issuer import DEFAULT_DISCLOSABLE, Evidence, IssuedRecord, Issuer, IssueOptions, check_options
from .profiles import check_https
from .recipients import recipient_did

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
MAX_CELL = 5000
COLUMNS = ("recipient", "note", "evidence_url", "evidence_name", "evidence_narrative", "valid_from", "valid_until")
_FORMULA_START = ("=", "+", "-", "@")


def parse_date(text: str, what: str) -> datetime | None:
    """'' -> None; an ISO 8601 date or date-time (no zone: UTC)."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" else text)
    except ValueError:
        raise IssuingError(f"the {what} {text[:40]!r} is not a date (2026-06-30 or 2026-06-30T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise BatchError(f"The CSV is {len(data):,} bytes; a batch takes at most {MAX_BYTES:,}.", [])
    if b"\x00" in data:
        raise BatchError("The CSV holds NUL bytes: it is not a text file.", [])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchError(f"The CSV is not UTF-8 text (byte {exc.start}): save it as UTF-8 CSV.", []) from None


def _row(cells: dict) -> tuple[str, IssueOptions]:
    for name, value in cells.items():
        if len(value) > MAX_CELL:
            raise IssuingError(f"the {name} is longer than {MAX_CELL:,} characters")
        if name != "recipient" and value.startswith(_FORMULA_START):
            raise IssuingError(f"the {name} starts with {value[0]!r}, which a spreadsheet runs as a formula: "
                               "remove it or start the text otherwise")
    try:
        recipient = recipient_did(cells.get("recipient", ""))
    except InvalidDid as exc:
        raise IssuingError(str(exc)) from None
    evidence = ()
    url, name, narrative = (cells.get(k, "").strip() for k in ("evidence_url", "evidence_name", "evidence_narrative"))
    if url or name or narrative:
        evidence = (Evidence(url=check_https(url, "evidence URL"), name=name, narrative=narrative),)
    options = IssueOptions(note=cells.get("note", "").strip(), evidence=evidence,
                           valid_from=parse_date(cells.get("valid_from", ""), "valid_from"),
                           valid_until=parse_date(cells.get("valid_until", ""), "valid_until"))
    if options.valid_from and options.valid_until and options.valid_until <= options.valid_from:
        raise IssuingError("valid_until is not after valid_from")
    check_options(options)
    return recipient, options


def read_rows(data: bytes) -> list[tuple[str, IssueOptions]]:
    """Every row checked; BatchError listing each bad one by line (nothing issued)."""
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[tuple[int, str]] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise BatchError(f"The CSV header cannot be read: {exc}.", [(1, str(exc))]) from None
    unknown = [h for h in header if h not in COLUMNS]
    if "recipient" not in header or unknown or len(set(header)) != len(header):
        why = (f"unknown column(s) {', '.join(repr(h[:30]) for h in unknown[:5])}" if unknown else
               "a column is named twice" if len(set(header)) != len(header) else "no 'recipient' column")
        raise BatchError(f"Line 1 (the header): {why}. The columns are {', '.join(COLUMNS)}.", [(1, why)])
    rows, seen = [], {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append((reader.line_num, f"unreadable CSV ({exc})"))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            raise BatchError(f"The CSV has more than {MAX_ROWS:,} rows; split it into several batches.", [])
        if len(cells) != len(header):
            problems.append((line, f"{len(cells)} cells where the header has {len(header)}"))
            continue
        try:
            recipient, options = _row(dict(zip(header, cells)))
        except IssuingError as exc:
            problems.append((line, str(exc)))
            continue
        if recipient in seen:
            problems.append((line, f"the same recipient as line {seen[recipient]}"))
            continue
        seen[recipient] = line
        rows.append((recipient, options))
    if problems:
        listed = "; ".join(f"line {n}: {m}" for n, m in problems[:20])
        raise BatchError(f"{len(problems)} row(s) of the CSV are wrong, so nothing was issued. {listed}"
                         + (" …" if len(problems) > 20 else ""), problems)
    if not rows:
        raise BatchError("The CSV names no recipient.", [])
    return rows


def issue_csv(issuer: Issuer, profile_ref, achievement_ref, data: bytes, *, fmt: str = "di",
              disclosable=DEFAULT_DISCLOSABLE) -> list[IssuedRecord]:
    """Issue one credential per row of the CSV ``data``, all in one transaction."""
    rows = read_rows(data)
    return issuer.issue_many(profile_ref, achievement_ref, rows, fmt=fmt, disclosable=disclosable,
                             batch=f"urn:uuid:{uuid.uuid4()}")
