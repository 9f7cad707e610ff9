"""A holder's standing in a presentation (docs/reputation.md): the signed link between the
presenting DID and a bonded account, its check, the chain's reading of that account (bond,
trust score and its parts), and the verifier's access policy. It sits above both
``vault.presentations`` and ``vault.chain``, as ``vault.anchoring`` does.

    link     the link the account's key signs, carried inside the signed presentation
    policy   a verifier's access policy file and its verdict, requirement by requirement
    check    a verified presentation's standing read from the chain, or "not checked"
"""
