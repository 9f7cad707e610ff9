"""Issuing credentials: the vault as an issuer of Open Badges 3.0.

API (core; the CLI is vault/cli/commands/issuer.py, the GUI's Issue page builds on this):

    from vault.issuing.issuer import Issuer, IssueOptions, Evidence
    issuer = Issuer(identity)                        # an unlocked vault's Identity

    # profiles and achievements (issuing.profiles.Profiles, as issuer.profiles)
    p = issuer.profiles.create("Bootcamp", url="https://bootcamp.example")   # did:key
    p = issuer.profiles.create("Uni", method="web", web="uni.example")      # did:web
    issuer.profiles.list() / .get(id_or_name) / .sample()   # sample(): the demo profile, is_sample
    issuer.profiles.did_document(p)     # to host at p.did_document_url() (did:web)
    issuer.profiles.update(p.id, anchor_account="0x…")     # the account that anchors
    a = issuer.profiles.add_achievement(p.id, "Python basics", description=…, criteria=…,
                                        image=…, achievement_type="Badge",
                                        alignment=[{"targetName": …, "targetUrl": …}])
    issuer.profiles.achievements(p.id) / .achievement(p.id, id_or_name)

    # issue (fmt: "di" eddsa-rdfc-2022 | "jcs" eddsa-jcs-2022 | "sd-jwt")
    record = issuer.issue(p.id, a.id, "did:key:…" or "0xAddress",
                          fmt="di", options=IssueOptions(note=…, evidence=(Evidence(url=…),),
                          valid_from=…, valid_until=…), disclosable=("achievement",))
    records = issue_csv(issuer, p.id, a.id, csv_bytes, fmt="di")   # issuing.batch; BatchError
    recipient_did(text)                  # issuing.recipients: a DID / address -> DID or InvalidDid

    # the issued log (IssuedRecord: id, recipient, format, status, anchored, content, ...)
    issuer.log(search="", profile=None, status=None) / issuer.get(credential_id)
    issuer.mark_anchored(credential_id, chain_id=…, tx_hash=…, token_id=…)   # anchoring hook

    # status (Bitstring Status List per profile: revocation + suspension)
    issuer.revoke(id, profile=p.id) / .suspend(...) / .unsuspend(...)  # IssuingError if not its own
    issuer.lists.signed(p, "revocation")      # bytes to host at p.status_list_url("revocation")
    issuer.lists.export(p, folder)            # [(file, URL to host it at)]

    # delivery (issuing.deliver)
    deliver.write_file(record, path)          # .json / .sd-jwt; .png / .svg baked
    deliver.qr_kind(record)                   # "vc-json" | "sd-jwt": vault.qr.encode_parts(
                                              #   record.content, kind=…) (parts, animated when >1)
    deliver.log_csv(records)                  # the log as CSV, formulas neutralised

Older modules: badge.py (OB 3.0 build/sign used by the sample), sample.py (the demo issuer).
Errors: vault.errors.IssuingError, BatchError (``problems``: [(line, message)]).
"""
