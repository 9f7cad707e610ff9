"""`vault verify --request-out FILE` (the employer's OpenID4VP request, answered by a wallet
on this machine through a loopback receiver with --listen, or at your own HTTPS endpoint
with --response-uri) and `vault verify --response RESPONSE --session SESSION` (an answer
pasted or saved, verified against the request it answers)."""

from __future__ import annotations

import json
from pathlib import Path

from ...protocols.vp_verifier import LoopbackReceiver, VerifierSession, new_session, query_for, verify_response
from ...safe_text import safe_text
from ...store.atomic import write_atomic
from ..io import UsageError, emit, read_input, say
from ..session import saved_keys, verification_context


def _query(args) -> dict:
    if args.dcql:
        try:
            return json.loads(read_input(args.dcql))
        except ValueError as exc:
            raise UsageError(f"{args.dcql} is not JSON: {exc}") from None
    if not (args.vct or args.type):
        raise UsageError("say what to ask for: --vct (an SD-JWT VC type), --type (a W3C credential type) or --dcql FILE")
    fmt = args.query_format or ("dc+sd-jwt" if args.vct else "ldp_vc")
    return query_for(fmt, vct=args.vct, types=["VerifiableCredential", *args.type] if args.type else None,
                     claims=args.claim)


def _write_request(out: Path, link: str) -> None:
    if out.suffix.lower() in (".png", ".svg"):
        from ...qr import render   # start-up: PIL/segno only when a QR image is written
        write_atomic(out, render.svg(link).encode() if out.suffix.lower() == ".svg" else render.png(link))
    else:
        write_atomic(out, (link + "\n").encode())


def _report(args, verdict) -> int:
    lines = [("VALID: " if verdict.valid else "INVALID: ") + safe_text(verdict.message)]
    for query, results in verdict.answers.items():
        for result in results:
            lines.append(f"  [{safe_text(query)}] {'ok ' if result.valid else 'BAD'} {safe_text(result.message)}")
            for c in result.credentials:
                shown = ", ".join(f"{k}={v}" for k, v in (c.disclosed or {}).items()
                                  if not isinstance(v, (dict, list)) and k not in ("iss", "vct", "iat", "cnf"))
                lines.append(f"        {safe_text(c.title)}: {safe_text(shown)}")
    emit(args, verdict.to_json(), "\n".join(lines))
    return 0 if verdict.valid else 1


def cmd_request_out(args) -> int:
    if args.listen is None and not args.response_uri:
        raise UsageError("--request-out needs --listen SECONDS (a wallet on this machine answers to a loopback "
                         "receiver) or --response-uri URL (your own HTTPS endpoint)")
    receiver = LoopbackReceiver() if args.listen is not None else None
    try:
        session = new_session(receiver.response_uri if receiver else args.response_uri, _query(args), args.name or "")
        out = Path(args.request_out)
        _write_request(out, session.link())
        session_file = out.with_name(out.name + ".session.json")
        write_atomic(session_file, json.dumps(session.to_json(), indent=2).encode())
        say(f"Request written to {out} (the link: {session.link()[:80]}…); its session: {session_file}")
        if receiver is None:
            emit(args, {"request": session.link(), "session": str(session_file)},
                 f"Verify the answer with: vault verify --response ANSWER --session {session_file}")
            return 0
        say(f"Waiting up to {args.listen:g} s for a wallet on this machine to answer at {receiver.response_uri}")
        body = receiver.wait(args.listen)
    finally:
        if receiver is not None:
            receiver.stop()
    with saved_keys(args) as store:
        return _report(args, verify_response(session, body, verification_context(args, store)))


def cmd_response(args) -> int:
    if not args.session:
        raise UsageError("--response needs --session (the .session.json written with the request)")
    try:
        session = VerifierSession.from_json(json.loads(read_input(args.session)))
    except ValueError as exc:
        raise UsageError(f"{args.session} is not JSON: {exc}") from None
    text = args.response.strip()
    pasted = text.startswith("{") or any(f"{k}=" in text for k in ("vp_token", "error", "response"))
    body = text.encode() if pasted else read_input(args.response)   # the answer itself, or a file holding it
    with saved_keys(args) as store:
        return _report(args, verify_response(session, body, verification_context(args, store)))
