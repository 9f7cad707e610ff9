"""The DAO's constitution: its text, version and history, and amendments by proposal.

    c = Constitution(chain)
    c.show()                     # version, hash, text, articles (each with its citing proposals)
    c.history()                  # every version: hash, summary, block, proposal, what changed
    call = c.amend_call(gov, new_text, "Why")          # a Call for Governance.propose_request
    description = amendment_description("Title", "Why", new_text)

Only hash and version are on chain (Constitution.sol). Version 1's text ships with the
deployment (resources/contracts/constitution/v1.md); every later text travels in full in
the description of the proposal that amends it, after ``TEXT_MARKER``, so anyone reading
the governor's ProposalCreated events can recover it and check it against the hash. A text
that cannot be found that way is shown as unknown, never guessed.

A proposal cites articles by writing "Article 3" or "Articles 3 and 5" in its description.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from eth_utils import keccak

from ...errors import ChainError
from ..contracts import CONTRACTS_DIR
from ..governance import Call, Governance
from ..eventlog import read_events

TEXTS_DIR = CONTRACTS_DIR / "constitution"
TEXT_MARKER = "\n\n---- constitution text ----\n"
MAX_TEXT_CHARS = 20_000  # a description is calldata: a longer text costs real gas
_ARTICLE = re.compile(r"^##\s*Article\s+(\d+)\.?\s*(.*)$", re.MULTILINE)
_CITE = re.compile(r"\bArticles?\s+(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.IGNORECASE)


def text_hash(text: str) -> str:
    """The hash the chain keeps: keccak-256 of the UTF-8 text, 0x-hex."""
    return "0x" + keccak(text.encode("utf-8")).hex()


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    body: str

    def to_json(self) -> dict:
        return {"number": self.number, "title": self.title, "body": self.body}


def articles(text: str) -> list[Article]:
    """The articles of a text ("## Article N. Title" headings), in order."""
    found = list(_ARTICLE.finditer(text))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.append(Article(int(m.group(1)), m.group(2).strip(), text[m.end():end].strip()))
    return out


def cited(description: str) -> list[int]:
    """The article numbers a proposal's description cites, in order, once each."""
    numbers: list[int] = []
    for m in _CITE.finditer(description):
        for n in re.findall(r"\d+", m.group(1)):
            if int(n) not in numbers:
                numbers.append(int(n))
    return numbers


def changes(old: str | None, new: str | None) -> list[dict]:
    """What changed from one text to the next, article by article: added, removed or
    changed (with the changed lines, as a unified diff)."""
    if old is None or new is None:
        return []
    before = {a.number: a for a in articles(old)}
    after = {a.number: a for a in articles(new)}
    out = []
    for number in sorted(before.keys() | after.keys()):
        a, b = before.get(number), after.get(number)
        if a is None:
            out.append({"article": number, "title": b.title, "change": "added", "diff": []})
        elif b is None:
            out.append({"article": number, "title": a.title, "change": "removed", "diff": []})
        elif (a.title, a.body) != (b.title, b.body):
            diff = [line for line in difflib.unified_diff(
                f"{a.title}\n{a.body}".splitlines(), f"{b.title}\n{b.body}".splitlines(), lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]
            out.append({"article": number, "title": b.title, "change": "changed", "diff": diff})
    return out


def amendment_description(title: str, why: str, new_text: str) -> str:
    """A proposal's description that carries the whole new text (after TEXT_MARKER)."""
    return f"{title.strip()}\n\n{why.strip()}{TEXT_MARKER}{new_text}"


def text_in(description: str) -> str | None:
    """The constitution text a proposal's description carries, or None."""
    at = description.find(TEXT_MARKER)
    return description[at + len(TEXT_MARKER):] if at >= 0 else None


def shipped_texts() -> dict[str, str]:
    """The texts shipped with the app, by hash."""
    return {text_hash(p.read_text(encoding="utf-8")): p.read_text(encoding="utf-8")
            for p in sorted(TEXTS_DIR.glob("*.md"))}


class Constitution:
    def __init__(self, chain):
        self.chain = chain
        self.contract = chain.contracts.extension("constitution")

    def _gov(self):
        return Governance(self.chain)

    def _amending_proposals(self) -> list[dict]:
        """The proposals that call ``amend`` on this constitution, with the hash each would
        put in force and the text its description carries (when that text has the hash)."""
        out = []
        address = self.contract.address.lower()
        for p in self._gov()._created():
            for target, calldata in zip(p["targets"], p["calldatas"]):
                if target.lower() != address:
                    continue
                try:
                    fn, args = self.contract.decode_function_input(calldata)
                except (ValueError, KeyError, TypeError):
                    continue
                if fn.fn_name != "amend":
                    continue
                new_hash = "0x" + bytes(list(args.values())[1]).hex()
                text = text_in(p["description"])
                out.append({"proposal_id": str(p["proposal_id"]), "hash": new_hash,
                            "text": text if text is not None and text_hash(text) == new_hash else None,
                            "description": p["description"]})
        return out

    def history(self) -> list[dict]:
        """Every version, oldest first: hash, summary, block, the proposal that enacted it
        (for version 2 on), its text when known, and what changed from the version before."""
        texts = shipped_texts()
        proposals = self._amending_proposals()
        for p in proposals:
            if p["text"] is not None:
                texts.setdefault(p["hash"], p["text"])
        out, previous = [], None
        for e in read_events(self.chain, self.contract, ("ConstitutionAdopted",)):
            a = e["args"]
            h = "0x" + bytes(a["textHash"]).hex()
            text = texts.get(h)
            enacted = next((p["proposal_id"] for p in proposals if p["hash"] == h), None)
            out.append({"version": int(a["version"]), "hash": h, "previous_hash": "0x" + bytes(a["previousHash"]).hex(),
                        "summary": a["summary"], "block": int(e["blockNumber"]), "proposal_id": enacted,
                        "text_known": text is not None, "text": text,
                        "changes": changes(previous, text) if previous is not None else []})
            previous = text
        return out

    def show(self) -> dict:
        """The version in force, its text and articles; each article lists the proposals
        that cite it. ``text`` is None when no copy with the on-chain hash is known."""
        version, h = self.contract.functions.current().call()
        h = "0x" + bytes(h).hex()
        text = next((v["text"] for v in reversed(self.history()) if v["hash"] == h), None)
        citing: dict[int, list[dict]] = {}
        for p in self._gov()._created():
            body = p["description"].split(TEXT_MARKER, 1)[0]  # an amendment's new text cites nothing
            for number in cited(body):
                citing.setdefault(number, []).append({"proposal_id": str(p["proposal_id"]),
                                                      "title": body.splitlines()[0] if body else ""})
        arts = [a.to_json() | {"cited_by": citing.get(a.number, [])} for a in articles(text or "")]
        known = {a["number"] for a in arts}
        return {"address": self.contract.address, "version": int(version), "hash": h, "text_known": text is not None,
                "text": text, "articles": arts,
                "unknown_citations": sorted(n for n in citing if n not in known)}

    def amend_call(self, gov, new_text: str, summary: str):
        """The Call a proposal makes to put ``new_text`` in force; checked now: an empty,
        unchanged or oversized text would pass the vote and fail (or cost) later."""
        if not new_text.strip():
            raise ChainError("invalid-argument", "The new constitution text is empty.")
        if len(new_text) > MAX_TEXT_CHARS:
            raise ChainError("invalid-argument", f"The new constitution text has {len(new_text):,} characters; at "
                                                 f"most {MAX_TEXT_CHARS:,} fit in a proposal.")
        if not articles(new_text):
            raise ChainError("invalid-argument", "The new text has no articles (headings like “## Article 1. "
                                                 "Purpose”): proposals could not cite it.")
        version, current = self.contract.functions.current().call()
        new_hash = keccak(new_text.encode("utf-8"))
        if new_hash == bytes(current):
            raise ChainError("invalid-argument", f"This is the text of version {version}, already in force.")
        calldata = bytes.fromhex(self.contract.encode_abi("amend", [bytes(current), new_hash, summary])[2:])
        return Call(self.contract.address, 0, calldata,
                    f"Amend the constitution to version {version + 1} (text hash 0x{new_hash.hex()[:12]}…)")
