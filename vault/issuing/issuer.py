"""The vault as an issuer: sign OB 3.0 credentials, keep the issued log, revoke/suspend.

    issuer = Issuer(identity)
    record = issuer.issue("Bootcamp", "Python basics", "did:key:z6Mk…", fmt="di")
    issuer.revoke(record.id, profile="Bootcamp")

Formats: ``di`` (Data Integrity eddsa-rdfc-2022, the default), ``jcs`` (eddsa-jcs-2022)
and ``sd-jwt`` (SD-JWT VC, vault.credentials.sd_jwt_vc, with the chosen claims
selectively disclosable). A Data Integrity credential of a profile with status lists
carries a revocation and a suspension entry at one random index; SD-JWT VCs carry none
(token status lists are not made here), so they cannot be revoked by list.

Everything is verified before it is stored or returned (the profile's did:web document
is in the vault's cache), and stored in the same transaction that takes its status
index: a crash leaves either the whole credential in the log or nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from ..credentials import data_integrity
from ..credentials.cache import VerificationCache
from ..credentials.keys import resolve_method
from ..credentials.sd_jwt_vc import issue_sd_jwt_vc, verify_sd_jwt_vc
from ..did import did_jwk, did_key
from ..errors import InvalidDid, IssuingError, NotFound
from ..identity import Identity
from ..store.database import IntegrityError
from .badge import OB_V3_CONTEXT, TYPES, VC_V2_CONTEXT
from .profiles import MAX_NAME, AchievementRecord, Profile, Profiles, check_https, check_text
from .recipients import recipient_did
from .status_lists import StatusLists, entries

FORMATS = {"di": data_integrity.RDFC, "jcs": data_integrity.JCS, "sd-jwt": "sd-jwt-vc"}
SD_JWT_VCT = "https://purl.imsglobal.org/spec/ob/v3p0/OpenBadgeCredential"
# Claims of an SD-JWT badge that may be made selectively disclosable (never iss, vct,
# the dates or cnf: a verifier needs those to check it at all).
DISCLOSABLE = ("sub", "name", "description", "achievement", "evidence", "issuer_name")
DEFAULT_DISCLOSABLE = ("achievement", "evidence")
STATUSES = ("active", "revoked", "suspended")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _start_of_day(moment: datetime) -> datetime:
    """The default validFrom: the start of the day (UTC), as the demo issuer does, so that a
    learner whose clock is a little behind does not find a new credential "not yet valid"."""
    return moment.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def _xsd(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Evidence:
    """OB 3.0 Evidence: a link to the work and/or a narrative of it."""
    url: str = ""
    name: str = ""
    narrative: str = ""

    def to_json(self) -> dict:
        data = {"type": ["Evidence"]}
        if self.url:
            data["id"] = check_https(self.url, "evidence URL")
        if self.name:
            data["name"] = check_text(self.name, "evidence name", MAX_NAME)
        if self.narrative:
            data["narrative"] = check_text(self.narrative, "evidence narrative")
        return data


@dataclass(frozen=True)
class IssueOptions:
    """What may vary per credential (a CSV row gives its own)."""
    note: str = ""
    evidence: tuple[Evidence, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class IssuedRecord:
    """One line of the issued log (``content``: the credential as delivered)."""
    id: str
    profile_id: int
    profile_name: str
    achievement_id: int | None
    title: str
    recipient: str
    format: str
    status: str
    status_index: int | None
    note: str
    batch: str | None
    valid_from: str | None
    valid_until: str | None
    issued_at: str
    anchor_chain_id: int | None = None
    anchor_tx: str | None = None
    anchor_token_id: int | None = None
    anchored_at: str | None = None
    anchor_by_dao: bool = False   # anchored by the DAO's timelock (an executed proposal), not the issuer
    content: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchor_by_dao", bool(self.anchor_by_dao))   # SQLite's 0 / 1

    @property
    def anchored(self) -> bool:
        return self.anchor_tx is not None

    @property
    def anchor_words(self) -> str:
        """The issued log's "on chain" cell: "" when not anchored."""
        if not self.anchored:
            return ""
        token = f"token {self.anchor_token_id}" if self.anchor_token_id else ""
        if self.anchor_by_dao:
            return "anchored by the DAO" + (f" ({token})" if token else "")
        return token or "anchored"

    @property
    def is_sd_jwt(self) -> bool:
        return self.format == FORMATS["sd-jwt"]

    def to_json(self, *, with_content: bool = False) -> dict:
        data = asdict(self)
        data.pop("content")
        data["anchored"] = self.anchored
        if with_content:
            data["credential"] = self.content.decode("utf-8")
        return data


_LOG_COLUMNS = ("c.id, c.profile_id, p.name, c.achievement_id, c.title, c.recipient, c.format, c.status, "
                "c.status_index, c.note, c.batch, c.valid_from, c.valid_until, c.issued_at, c.anchor_chain_id, "
                "c.anchor_tx, c.anchor_token_id, c.anchored_at, c.anchor_by_dao")


def check_options(options: IssueOptions) -> None:
    """IssuingError unless the dates, note and evidence can be published as they are."""
    for moment in (options.valid_from, options.valid_until):
        if moment is not None and moment.tzinfo is None:
            raise IssuingError("Validity dates need a time zone (e.g. 2026-01-31T00:00:00Z).")
    if options.valid_from and options.valid_until and options.valid_until <= options.valid_from:
        raise IssuingError("The credential would expire before it becomes valid: "
                           "the end of validity must come after its start.")
    check_text(options.note, "note")
    for evidence in options.evidence:
        evidence.to_json()


class Issuer:
    def __init__(self, identity: Identity):
        self.identity = identity
        self.store = identity.store
        self.profiles = Profiles(identity)
        self.lists = StatusLists(self.profiles)
        self._documents = VerificationCache(self.store).did_document

    # ---- issuing -----------------------------------------------------------------------

    def issue(self, profile_ref, achievement_ref, recipient: str, *, fmt: str = "di",
              options: IssueOptions = IssueOptions(), disclosable=DEFAULT_DISCLOSABLE) -> IssuedRecord:
        """Sign, verify, log and return one credential for ``recipient`` (a DID or an address)."""
        return self.issue_many(profile_ref, achievement_ref, [(recipient, options)], fmt=fmt,
                               disclosable=disclosable)[0]

    def issue_many(self, profile_ref, achievement_ref, rows, *, fmt: str = "di",
                   disclosable=DEFAULT_DISCLOSABLE, batch: str | None = None) -> list[IssuedRecord]:
        """``rows``: (recipient, IssueOptions) pairs, all issued in one transaction or none."""
        profile = self.profiles.get(profile_ref)
        achievement = self.profiles.achievement(profile.id, achievement_ref)
        if fmt not in FORMATS:
            raise IssuingError(f"Unknown format {fmt!r}: use di (eddsa-rdfc-2022), jcs (eddsa-jcs-2022) or sd-jwt.")
        disclosable = tuple(disclosable or ())
        bad = [c for c in disclosable if c not in DISCLOSABLE]
        if bad:
            raise IssuingError(f"{', '.join(map(str, bad))[:100]} cannot be selectively disclosable: choose from "
                               f"{', '.join(DISCLOSABLE)}.")
        prepared = []
        for recipient, options in rows:
            check_options(options)
            prepared.append((recipient_did(recipient), options))
        key = self.profiles.signing_key(profile)
        with_status = fmt != "sd-jwt" and self.lists.has_lists(profile)
        if with_status:
            with self.store.transaction() as conn:
                self.lists.ensure(conn, profile)
            used = self.lists.used(profile)
        # Signed outside the write transaction (a batch takes seconds; the vault stays
        # readable meanwhile), then stored in one: all rows or none.
        rows_out = []
        for recipient, options in prepared:
            now = _now()
            credential_id = f"urn:uuid:{uuid.uuid4()}"
            index = None
            if with_status:
                index = self.lists.allocate(profile, used)
                used.add(index)
            if fmt == "sd-jwt":
                content = self._sd_jwt(profile, key, achievement, recipient, options, credential_id, now,
                                       disclosable)
            else:
                content = self._data_integrity(profile, key, achievement, recipient, options, credential_id,
                                               now, FORMATS[fmt], index)
            rows_out.append((credential_id, profile.id, achievement.id, recipient, FORMATS[fmt], achievement.name,
                             index, options.note, batch, _xsd(options.valid_from or _start_of_day(now)),
                             _xsd(options.valid_until) if options.valid_until else None, now.isoformat(), content))
        try:
            with self.store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO issued_credentials(id, profile_id, achievement_id, recipient, format, title, "
                    "status_index, note, batch, valid_from, valid_until, issued_at, content) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows_out)
        except IntegrityError as exc:   # the UNIQUE status index: another issue took one meanwhile
            raise IssuingError(f"Another credential of {profile.name!r} was issued at the same moment and "
                               "took the same status entry; nothing of this one was issued: issue it again.") from exc
        return [self.get(row[0]) for row in rows_out]

    def _data_integrity(self, profile: Profile, key, achievement: AchievementRecord, recipient: str,
                        options: IssueOptions, credential_id: str, now: datetime, suite: str,
                        index: int | None) -> bytes:
        credential = {
            "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
            "id": credential_id,
            "type": list(TYPES),
            "issuer": profile.to_issuer_json(),
            "validFrom": _xsd(options.valid_from or _start_of_day(now)),
            "name": achievement.name,
            "credentialSubject": {"id": recipient, "type": ["AchievementSubject"],
                                  "achievement": achievement.to_ob_json()},
        }
        if options.valid_until:
            credential["validUntil"] = _xsd(options.valid_until)
        if options.note:
            credential["description"] = options.note
        if options.evidence:
            credential["evidence"] = [e.to_json() for e in options.evidence]
        if index is not None:
            credential["credentialStatus"] = entries(profile, index)
        signed = data_integrity.sign(credential, key, profile.verification_method, cryptosuite=suite,
                                     created=_xsd(now))
        data_integrity.verify_proof(signed, documents=self._documents)   # nothing unverifiable leaves
        return json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8")

    def _sd_jwt(self, profile: Profile, key, achievement: AchievementRecord, recipient: str,
                options: IssueOptions, credential_id: str, now: datetime, disclosable) -> bytes:
        claims = {"vct": SD_JWT_VCT, "jti": credential_id, "sub": recipient, "name": achievement.name,
                  "issuer_name": profile.name, "achievement": achievement.to_ob_json(),
                  "nbf": int((options.valid_from or _start_of_day(now)).timestamp())}
        if options.valid_until:
            claims["exp"] = int(options.valid_until.timestamp())
        if options.note:
            claims["description"] = options.note
        if options.evidence:
            claims["evidence"] = [e.to_json() for e in options.evidence]
        token = issue_sd_jwt_vc(claims, key, kid=profile.verification_method,
                                disclosable=[c for c in disclosable if c in claims],
                                holder_public_key=_holder_key(recipient), issued_at=now)
        verify_sd_jwt_vc(token, documents=self._documents)
        return token.encode("ascii")

    def sign_credential(self, profile_ref, credential: dict, *, suite: str = data_integrity.RDFC,
                        with_status: bool = True) -> IssuedRecord:
        """Sign a whole VC 2.0 credential a caller gives (the VC-API's /credentials/issue)
        as ``profile_ref``: its issuer must be the profile (or absent: then it is set), it
        must carry no proof or status of its own; a status entry is added when the profile
        has lists. Logged like every credential issued here."""
        profile = self.profiles.get(profile_ref)
        credential = _checked_credential(credential, profile)
        if suite not in (data_integrity.RDFC, data_integrity.JCS):
            raise IssuingError(f"This issuer signs with eddsa-rdfc-2022 or eddsa-jcs-2022, not {str(suite)[:40]!r}.")
        credential_id = credential.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
        subject = credential["credentialSubject"]
        subject_id = subject.get("id") if isinstance(subject, dict) else None
        try:
            recipient = recipient_did(subject_id) if isinstance(subject_id, str) else ""
        except InvalidDid:
            recipient = ""
        name = credential.get("name")
        title = name[:200] if isinstance(name, str) else str(credential["type"][-1])[:200]
        key = self.profiles.signing_key(profile)
        now = _now()
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM issued_credentials WHERE id = ?", (credential_id,)).fetchone():
                raise IssuingError(f"This vault already issued a credential with the id {credential_id[:100]}.")
            index = None
            if with_status and self.lists.has_lists(profile):
                self.lists.ensure(conn, profile)
                index = self.lists.allocate(profile, self.lists.used(profile))
                credential["credentialStatus"] = entries(profile, index)
            signed = data_integrity.sign(credential, key, profile.verification_method, cryptosuite=suite,
                                         created=_xsd(now))
            data_integrity.verify_proof(signed, documents=self._documents)
            content = json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8")
            conn.execute(
                "INSERT INTO issued_credentials(id, profile_id, achievement_id, recipient, format, title, "
                "status_index, note, batch, valid_from, valid_until, issued_at, content) "
                "VALUES (?, ?, NULL, ?, ?, ?, ?, '', NULL, ?, ?, ?, ?)",
                (credential_id, profile.id, recipient, suite, title, index, _str(credential.get("validFrom")),
                 _str(credential.get("validUntil")), now.isoformat(), content))
        return self.get(credential_id)

    # ---- the log -----------------------------------------------------------------------

    def get(self, credential_id: str) -> IssuedRecord:
        row = self.store.query_one(f"SELECT {_LOG_COLUMNS}, c.content FROM issued_credentials c "
                                   "JOIN issuer_profiles p ON p.id = c.profile_id WHERE c.id = ?", (credential_id,))
        if row is None:
            raise NotFound(f"This vault issued no credential {str(credential_id)[:100]!r}; "
                           "`vault issuer log` lists what it issued.")
        return IssuedRecord(*row[:-1], content=bytes(row[-1]))

    def log(self, search: str = "", *, profile=None, status: str | None = None,
            limit: int = 1000) -> list[IssuedRecord]:
        """Newest first; ``search`` matches recipient, title, id, note, format and profile name."""
        where, params = [], []
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            columns = ("c.recipient", "c.title", "c.id", "c.note", "c.format", "p.name")
            where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
            params += [pattern] * len(columns)
        if profile is not None:
            where.append("c.profile_id = ?")
            params.append(self.profiles.get(profile).id)
        if status:
            if status not in STATUSES:
                raise IssuingError(f"Unknown status {status!r}: use {', '.join(STATUSES)}.")
            where.append("c.status = ?")
            params.append(status)
        rows = self.store.query(f"SELECT {_LOG_COLUMNS} FROM issued_credentials c JOIN issuer_profiles p "
                                f"ON p.id = c.profile_id {'WHERE ' + ' AND '.join(where) if where else ''} "
                                "ORDER BY c.issued_at DESC, c.rowid DESC LIMIT ?", (*params, int(limit)))
        return [IssuedRecord(*row) for row in rows]

    def mark_anchored(self, credential_id: str, *, chain_id: int, tx_hash: str, token_id: int | None,
                      by_dao: bool = False) -> IssuedRecord:
        """The anchoring hook (the GUI's --anchor): record the soulbound token of a credential;
        ``by_dao``: the DAO's timelock anchored it (vault/anchoring/dao_badge.py)."""
        self.get(credential_id)
        with self.store.transaction() as conn:
            conn.execute("UPDATE issued_credentials SET anchor_chain_id = ?, anchor_tx = ?, anchor_token_id = ?, "
                         "anchored_at = ?, anchor_by_dao = ? WHERE id = ?",
                         (int(chain_id), str(tx_hash), token_id, _now().isoformat(), int(by_dao), credential_id))
        return self.get(credential_id)

    def unanchored_to(self, account: str) -> list[IssuedRecord]:
        """The credentials issued to ``account`` (its address or did:pkh) not known to be
        anchored, with their bytes: what a token minted to ``account`` may anchor."""
        account = account.lower()
        rows = self.store.query(f"SELECT {_LOG_COLUMNS}, c.content FROM issued_credentials c JOIN issuer_profiles p "
                                "ON p.id = c.profile_id WHERE c.anchor_tx IS NULL AND (lower(c.recipient) = ? OR "
                                "lower(c.recipient) LIKE 'did:pkh:%:' || ?)", (account, account))
        return [IssuedRecord(*row[:-1], content=bytes(row[-1])) for row in rows]

    # ---- status ------------------------------------------------------------------------

    def revoke(self, credential_id: str, *, profile=None) -> IssuedRecord:
        return self._set_status(credential_id, "revoke", profile)

    def suspend(self, credential_id: str, *, profile=None) -> IssuedRecord:
        return self._set_status(credential_id, "suspend", profile)

    def unsuspend(self, credential_id: str, *, profile=None) -> IssuedRecord:
        return self._set_status(credential_id, "unsuspend", profile)

    def _set_status(self, credential_id: str, action: str, profile_ref) -> IssuedRecord:
        record = self.get(credential_id)
        profile = self.profiles.get(record.profile_id)
        if profile_ref is not None and self.profiles.get(profile_ref).id != profile.id:
            raise IssuingError(f"{credential_id} was issued by the profile {profile.name!r}, not "
                               f"{self.profiles.get(profile_ref).name!r}: a profile changes only the status of "
                               "what it issued. Nothing was changed.")
        if record.status_index is None:
            why = ("SD-JWT VCs carry no status list entry" if record.is_sd_jwt else
                   "it was issued without a status list entry (the profile has no status list address)")
            raise IssuingError(f"{credential_id} cannot be {action}d: {why}. Nothing was changed.")
        if record.status == "revoked":
            raise IssuingError(f"{credential_id} is revoked already; revocation is final. Nothing was changed.")
        if action == "unsuspend" and record.status != "suspended":
            raise IssuingError(f"{credential_id} is not suspended. Nothing was changed.")
        if action == "suspend" and record.status == "suspended":
            raise IssuingError(f"{credential_id} is suspended already. Nothing was changed.")
        purpose, value, status = {"revoke": ("revocation", True, "revoked"),
                                  "suspend": ("suspension", True, "suspended"),
                                  "unsuspend": ("suspension", False, "active")}[action]
        with self.store.transaction() as conn:
            self.lists.set_bit(conn, profile, purpose, record.status_index, value)
            conn.execute("UPDATE issued_credentials SET status = ? WHERE id = ?", (status, credential_id))
        return self.get(credential_id)


def _str(value) -> str | None:
    return value[:64] if isinstance(value, str) else None


def _checked_credential(credential, profile: Profile) -> dict:
    """A copy of a caller's credential, fit to be signed as ``profile`` (IssuingError if not)."""
    if not isinstance(credential, dict):
        raise IssuingError("The credential must be a JSON object.")
    credential = json.loads(json.dumps(credential))
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != VC_V2_CONTEXT:
        raise IssuingError(f"The credential's @context must be a list starting with {VC_V2_CONTEXT} (VC 2.0).")
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise IssuingError("The credential's type must be a list holding VerifiableCredential.")
    for name in ("proof", "credentialStatus"):
        if name in credential:
            raise IssuingError(f"The credential already has a {name}: this issuer adds its own.")
    if not isinstance(credential.get("credentialSubject"), (dict, list)) or not credential["credentialSubject"]:
        raise IssuingError("The credential has no credentialSubject.")
    issuer = credential.get("issuer")
    named = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer is None:
        credential["issuer"] = profile.did
    elif named != profile.did:
        raise IssuingError(f"The credential names the issuer {str(named)[:100]!r}, but this service signs as "
                           f"{profile.did}: it never signs in someone else's name.")
    if "id" in credential and (not isinstance(credential["id"], str) or not credential["id"]):
        raise IssuingError("The credential's id must be a string (a URL or urn:uuid:…).")
    return credential


def _holder_key(recipient: str):
    """The recipient's Ed25519 key for an SD-JWT's ``cnf`` (did:key / did:jwk), else None."""
    if not recipient.startswith((did_key.PREFIX, did_jwk.PREFIX)):
        return None
    method = resolve_method(recipient)
    return method.public_key
