"""Credentials: parse, verify, show and store W3C VCs (Data Integrity, VC-JWT), SD-JWT VCs
and Open Badges 3.0."""
