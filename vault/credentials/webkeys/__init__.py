"""Issuer keys that live on the web or in certificates: did:web documents and https key
documents (fetched only when the user allowed network use, cached in the vault with their
date), SD-JWT VC issuer metadata (``/.well-known/jwt-vc-issuer``), and X.509 chains
(``x5c``) checked against the certificate authorities the user added."""
