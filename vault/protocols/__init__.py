"""The exchanges issuers and verifiers speak, wallet side and employer side: OpenID4VCI
(receive a credential from an offer), OpenID4VP (answer a verifier's request) and the
VC-API exchanges of the Digital Credentials Consortium. docs/protocols.md lists what is
supported and the spec versions. Every request is one the user asked for, through the
bounded fetcher (vault.net.fetch)."""
