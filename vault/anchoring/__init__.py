"""Soulbound anchoring: a stored or presented credential and its token on chain
(docs/soulbound.md). It sits above both ``vault.credentials`` and ``vault.chain``, which do
not import each other: the chain knows hashes and tokens, the credentials know bytes and
verdicts, and this package joins them.

    hashing    the credential hash (what identifies a credential however it travels)
    token_uri  the credential carried in its token's URI (data: URIs)
    store      what each chain said, kept in the vault through the credential repository
    sync       the one way to learn what is anchored (CLI and GUI), and one credential's check
    holder     the holder's view: which accounts may anchor, what is anchored
    verify     the anchor check a credential or presentation verification is given
    writes     anchor and revoke a credential (its bytes hashed here, the calls in chain)

Nothing is imported here, so that ``vault.anchoring.hashing`` stays light.
"""
