"""Credentials signed here, so the pictures need no fixture files and no network."""

from __future__ import annotations


def svg_badge(color: str, text: str) -> str:
    import base64
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
           f'<path d="M70 130 L50 195 L80 178 L100 200 L105 140 Z" fill="#b93a32"/>'
           f'<path d="M130 130 L150 195 L120 178 L100 200 L95 140 Z" fill="#d9534f"/>'
           f'<circle cx="100" cy="85" r="80" fill="{color}"/>'
           f'<circle cx="100" cy="85" r="66" fill="none" stroke="#ffffff" stroke-width="5" stroke-dasharray="8 6"/>'
           f'<text x="100" y="103" font-family="DejaVu Sans, sans-serif" font-size="52" font-weight="bold" '
           f'fill="#ffffff" text-anchor="middle">{text}</text></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class SampleIssuer:
    """An issuer with a fixed Ed25519 key (from ``seed``) that signs Open Badges 3.0
    credentials and status lists (eddsa-jcs-2022)."""

    def __init__(self, seed: int, name: str, did: str | None = None):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from vault.did import did_key
        self.key = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
        self.did = did or did_key.from_ed25519(self.key.public_key().public_bytes_raw())
        self.method = f"{self.did}#{self.did.split(':')[-1]}" if did is None else f"{did}#key-1"
        self.name = name

    def sign(self, document: dict) -> bytes:
        import json
        from vault.credentials import data_integrity
        return json.dumps(data_integrity.sign(document, self.key, self.method, cryptosuite="eddsa-jcs-2022"),
                          indent=2).encode()

    def badge(self, title: str, description: str, *, image: str | None = None, valid_from: str,
              status_url: str | None = None, status_index: int = 0, **extra) -> bytes:
        import zlib
        uid = zlib.crc32(title.encode())
        achievement = {"id": f"urn:uuid:{uid:08x}-0000-4000-8000-000000000001", "type": ["Achievement"],
                       "name": title, "description": description, "achievementType": "Certificate",
                       "criteria": {"narrative": f"Completed the {title} course and passed its assessment."}}
        if image:
            achievement["image"] = {"id": image, "type": "Image"}
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:{uid:08x}-0000-4000-8000-000000000002",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "type": ["Profile"], "name": self.name},
            "validFrom": valid_from, "name": title,
            "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:jordan-rivera",
                                  "name": "Jordan Rivera", "achievement": achievement}}
        if status_url:
            credential["credentialStatus"] = {
                "id": f"{status_url}#{status_index}", "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation", "statusListIndex": str(status_index),
                "statusListCredential": status_url}
        credential.update(extra)
        return self.sign(credential)

    def status_list(self, url: str, revoked: set[int]) -> bytes:
        from vault.credentials import status
        return self.sign(status.status_list_credential(id=url, issuer=self.did,
                                                       encoded_list=status.encode_status_list(revoked)))
