"""BTV2 transform 2: JOSE unwrap, then SHA-256 digests the reader can recompute left out.

An SD-JWT carries, beside its disclosures, the SHA-256 of each of them (``_sd`` in the
issuer's payload) and the SHA-256 of the whole presentation up to the KB-JWT (its
``sd_hash``): 43 random characters each, which no compression shortens. After the JOSE
unwrap (codec.py: a JSON-looking base64url run becomes ``0x01 decoded 0x02``, a "group"),
every 43-character base64url run that is such a digest is replaced by a reference:

* ``0x03 i``: base64url (no padding) of SHA-256 over the encoded text of group ``i``
  (groups numbered from 0 in the order their 0x01 opens);
* ``0x04 a b``: the same over the encoded text from the start of group ``a`` to the end of
  group ``b`` (both in the same enclosing text, ``a`` not after ``b``) followed by ``~``.

The reader rebuilds the text (``expand``), each group encoded once; a reference cycle, an
index beyond the groups, a reference cut short, nesting beyond 8 or more than 4 MiB of work
is an :class:`InvalidQr`. The encoder (``drop``) keeps a reference only where it reads back
exactly (codec.encode checks the round trip).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

from .errors import InvalidQr

__all__ = ["MARKERS", "drop", "expand"]

OPEN, CLOSE, DIGEST, SPAN = 0x01, 0x02, 0x03, 0x04
MARKERS = frozenset(b"\x01\x02\x03\x04")
MAX_NESTING = 8
MAX_GROUPS = 256            # an index is one byte
MAX_WORK = 4 << 20          # bytes rendered and hashed in all: far above any presentation
MAX_LINKS = 32              # a reference to a group holding a reference to …: bounded recursion
_RUN = re.compile(rb"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _damaged(what: str) -> InvalidQr:
    return InvalidQr(f"The code's data is damaged ({what}): it was misread or is not a "
                     "Blocktrack Vault code. Scan it again.")


@dataclass
class _Group:
    parent: list           # the sequence holding this group
    position: int          # its place in that sequence
    ancestors: tuple       # indexes of the groups it is inside
    children: list = field(default_factory=list)


def _parse(data: bytes) -> tuple[list, list[_Group]]:
    """Nodes: bytes (text), ("g", i) a group, ("d", i) a digest, ("s", a, b) a span digest."""
    root: list = []
    groups: list[_Group] = []
    stack: list[tuple[list, tuple]] = [(root, ())]
    text = bytearray()
    i, n = 0, len(data)

    def flush() -> None:
        if text:
            stack[-1][0].append(bytes(text))
            text.clear()

    while i < n:
        byte = data[i]
        if byte == OPEN:
            flush()
            if len(stack) > MAX_NESTING:
                raise InvalidQr("The code's data is nested too deeply to be a presentation.")
            if len(groups) >= MAX_GROUPS:
                raise _damaged("too many segments")
            seq, ancestors = stack[-1]
            group = _Group(seq, len(seq), ancestors)
            seq.append(("g", len(groups)))
            stack.append((group.children, ancestors + (len(groups),)))
            groups.append(group)
            i += 1
        elif byte == CLOSE:
            flush()
            if len(stack) == 1:
                raise _damaged("an unmatched segment marker")
            stack.pop()
            i += 1
        elif byte in (DIGEST, SPAN):
            width = 1 if byte == DIGEST else 2
            if i + width >= n:
                raise _damaged("a digest reference is cut short")
            flush()
            args = tuple(data[i + 1:i + 1 + width])
            stack[-1][0].append(("d" if byte == DIGEST else "s", *args))
            i += 1 + width
        else:
            text.append(byte)
            i += 1
    flush()
    if len(stack) != 1:
        raise _damaged("an unclosed segment marker")
    return root, groups


class _Renderer:
    """Encoded text of groups and spans, each computed once, within MAX_WORK."""

    def __init__(self, groups: list[_Group]):
        self.groups = groups
        self.done: dict = {}
        self.busy: set = set()
        self.work = 0

    def _group_index(self, i: int) -> _Group:
        if i >= len(self.groups):
            raise _damaged(f"a digest of segment {i}, which does not exist")
        return self.groups[i]

    def sequence(self, nodes: list, links: int = 0) -> bytes:
        out = b"".join(self.node(node, links) for node in nodes)
        self.work += len(out)
        if self.work > MAX_WORK:
            raise InvalidQr("The code's data expands beyond the size of any presentation.")
        return out

    def node(self, node, links: int) -> bytes:
        if isinstance(node, bytes):
            return node
        if node[0] == "g":
            return self._memo(node, links, lambda: _b64(self.sequence(self._group_index(node[1]).children,
                                                                      links)))
        if links >= MAX_LINKS:
            raise _damaged("digest references nested too deeply")
        if node[0] == "d":
            return _b64(hashlib.sha256(self.node(("g", node[1]), links + 1)).digest())
        return _b64(hashlib.sha256(self._memo(node, links, lambda: self._span(node[1], node[2], links + 1)))
                    .digest())

    def _span(self, a: int, b: int, links: int) -> bytes:
        first, last = self._group_index(a), self._group_index(b)
        if first.parent is not last.parent or first.position > last.position:
            raise _damaged("a digest over segments that do not follow each other")
        return self.sequence(first.parent[first.position:last.position + 1], links) + b"~"

    def _memo(self, key, links: int, compute) -> bytes:
        if key in self.done:
            return self.done[key]
        if key in self.busy:
            raise _damaged("a digest of itself")
        self.busy.add(key)
        value = compute()
        self.busy.discard(key)
        self.done[key] = value
        return value


def expand(data: bytes) -> bytes:
    """The payload from its transform-2 form: groups re-encoded, references recomputed."""
    root, groups = _parse(data)
    return _Renderer(groups).sequence(root)


def _serialise(nodes: list, groups: list[_Group]) -> bytes:
    out = bytearray()
    for node in nodes:
        if isinstance(node, bytes):
            out += node
        elif node[0] == "g":
            out += b"\x01" + _serialise(groups[node[1]].children, groups) + b"\x02"
        else:
            out += bytes([DIGEST if node[0] == "d" else SPAN, *node[1:]])
    return bytes(out)


def _targets(groups: list[_Group], renderer: _Renderer) -> dict[bytes, tuple]:
    """Digest text -> reference: every group, and every span from a JWT header (a group
    followed by ".") to a group followed by "~" (an SD-JWT up to its last disclosure)."""
    found: dict[bytes, tuple] = {}
    for i in range(len(groups)):
        found.setdefault(renderer.node(("d", i), 0), ("d", i))
    for a, first in enumerate(groups):
        after = first.parent[first.position + 1:first.position + 2]
        if not (after and isinstance(after[0], bytes) and after[0].startswith(b".")):
            continue
        for b in range(a, len(groups)):
            last = groups[b]
            follow = last.parent[last.position + 1:last.position + 2]
            if last.parent is first.parent and follow and isinstance(follow[0], bytes) \
                    and follow[0].startswith(b"~"):
                found.setdefault(renderer.node(("s", a, b), 0), ("s", a, b))
    return found


def _safe(ref: tuple, inside: tuple, groups: list[_Group]) -> bool:
    """A reference may not stand inside what it digests (it would digest itself)."""
    if ref[0] == "d":
        return ref[1] not in inside
    first, last = groups[ref[1]], groups[ref[2]]
    for g in inside:
        if groups[g].parent is first.parent and first.position <= groups[g].position <= last.position:
            return False
    return True


def drop(unwrapped: bytes) -> bytes:
    """Replace the recomputable digests in a JOSE-unwrapped payload (no 0x03 / 0x04 in it)."""
    root, groups = _parse(unwrapped)
    if not groups:
        return unwrapped
    targets = _targets(groups, _Renderer(groups))

    def rewrite(nodes: list, inside: tuple) -> None:
        for k, node in enumerate(nodes):
            if isinstance(node, bytes):
                pieces: list = []
                last = 0
                for m in _RUN.finditer(node):
                    ref = targets.get(m.group(0))
                    if ref is not None and _safe(ref, inside, groups):
                        pieces += [node[last:m.start()], ref]
                        last = m.end()
                if pieces:
                    nodes[k] = pieces + [node[last:]]
            elif node[0] == "g":
                rewrite(groups[node[1]].children, inside + (node[1],))

    rewrite(root, ())
    for nodes in [root] + [g.children for g in groups]:   # a rewritten text is a list of pieces
        flat: list = []
        for node in nodes:
            if isinstance(node, list):
                flat.extend(piece for piece in node if piece != b"")
            else:
                flat.append(node)
        nodes[:] = flat
    return _serialise(root, groups)
