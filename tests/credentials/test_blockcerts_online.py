"""Blockcerts anchors checked online: a real HTTPS server on a loopback address plays the
block explorer (esplora for Bitcoin, JSON-RPC for Ethereum) and the issuer's host
(loopback allowed explicitly, as in test_online). Attacks: an explorer that lies (another
OP_RETURN, another transaction), a root anchored by an address the issuer does not list,
a huge or never-ending answer, a redirect elsewhere; none makes a certificate valid."""

import json
import socket

import pytest

from tests.credentials.status_server import StatusServer, self_signed
from tests.credentials.test_blockcerts import BLOCKCERTS, load, sha, v2_certificate
from vault.credentials import jsonld, online
from vault.credentials.service import anchor_fetches, verification_context
from vault.credentials.verdict import Reason
from vault.credentials.verify import check
from vault.net.fetch import NetworkUse

pytest.importorskip("cbor2", reason="cbor2 (pyproject dependency) is not installed here")

TXID = "2378076e8e140012814e98a2b2cb1af07ec760b239c1d6d93ba54d658a010ecd"
ISSUER_ADDRESS = "1AwdUWQzJgfDDjeKtpPzMfYMHejFBrxZfo"
FORGER_ADDRESS = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"
BLOCK_TIME = 1561888800      # 2019-06-30 10:00 UTC


@pytest.fixture
def tls(tmp_path):
    return self_signed(tmp_path, names=("localhost", "www.blockcerts.org"))


@pytest.fixture
def host(tls):
    """The explorer and the issuer's host, over https on 127.0.0.1 ("localhost")."""
    server = StatusServer(tls=tls[0])
    yield server
    server.close()


@pytest.fixture
def network(tls):
    return NetworkUse(allow_private=True, ssl_context=tls[1])


def url(server, path):
    return server.url(path, "https", host="localhost")


def anchored_v2(server, *, name="Diploma in Engineering") -> dict:
    """A v2 certificate (test_blockcerts' builder) whose issuer profile lives on ``server``,
    hashed again the way cert-issuer does."""
    document = v2_certificate(name=name)
    document["badge"]["issuer"]["id"] = url(server, "/issuer.json")
    del document["badge"]["issuer"]["revocationList"]
    signature = document.pop("signature")
    target = sha(jsonld.canonize(document).encode())
    sibling = sha(b"another certificate of the batch")
    signature.update(targetHash=target, merkleRoot=sha(bytes.fromhex(target + sibling)), proof=[{"right": sibling}])
    document["signature"] = signature
    return document


def esplora_tx(txid: str, payload: str, sender: str) -> bytes:
    return json.dumps({"txid": txid, "vin": [{"prevout": {"scriptpubkey_address": sender}}],
                       "vout": [{"scriptpubkey": "76a914" + "00" * 20 + "88ac", "value": 2000},
                                {"scriptpubkey": "6a20" + payload, "scriptpubkey_type": "op_return", "value": 0}],
                       "status": {"confirmed": True, "block_height": 581000, "block_time": BLOCK_TIME}}).encode()


def profile(*addresses: str, **key) -> bytes:
    return json.dumps({"type": "Profile", "name": "Example College", "publicKey": [
        {"id": f"ecdsa-koblitz-pubkey:{a}", "created": "2019-01-01T00:00:00Z", **key} for a in addresses]}).encode()


def serve_bitcoin(server, document, *, payload=None, sender=ISSUER_ADDRESS, listed=(ISSUER_ADDRESS,)):
    server.serve(f"/api/tx/{TXID}", esplora_tx(TXID, payload or document["signature"]["merkleRoot"], sender))
    server.serve("/issuer.json", profile(*listed))


def context(server, network, store=None, **bounds):
    anchors = anchor_fetches(network) if not bounds else online.StatusLists(
        network, noun="blockchain anchor", fetch=anchor_fetches(network)._get, **bounds)
    return verification_context(store=store, network=network, anchors=anchors,
                                explorers={"Bitcoin": url(server, "/api"),
                                           "Ethereum Sepolia (test)": url(server, "/rpc")})


def verify(document, ctx):
    return check(json.dumps(document).encode(), ctx)


# ---- the anchor matches, sent by the issuer ------------------------------------------------

def test_bitcoin_anchor_sent_by_the_issuer_makes_the_certificate_valid(host, network):
    document = anchored_v2(host)
    serve_bitcoin(host, document)
    checked = verify(document, context(host, network))
    assert checked.verdict.valid, checked.verdict.message
    assert checked.verdict.anchor == f"Anchored in Bitcoin tx {TXID}, block time 2019-06-30 10:00 UTC"
    assert host.requests == [f"/api/tx/{TXID}", "/issuer.json"]
    assert checked.verdict.to_json()["anchor"].startswith("Anchored in Bitcoin tx")


def test_real_sepolia_certificate_is_read_by_json_rpc(host, network, monkeypatch):
    """The published Ethereum Sepolia v3 certificate: its issuer profile's https URL
    (www.blockcerts.org) is served by the loopback host (the name resolved there, TLS
    checked against it); the transaction comes from eth_getTransactionByHash."""
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda name, port, *a, **k: real(
        "127.0.0.1", host.port, *a, **k) if name == "www.blockcerts.org" else real(name, port, *a, **k))
    document = load("ethereum-sepolia-v3.json")
    txid = "0x1f615470024000c3ab532ed74c5a60b8f6c2feb6489a67be20f103831996f9ab"
    root = "b2c64ed78cccda992431c265a1d0bb657e8cefd14b1ef15ceadcc697c566994f"
    sender = "0x40Cf9B7DB6FCc742ad0a76B8588C7f8De2b54a60"
    host.serve("/rpc", json.dumps({"jsonrpc": "2.0", "id": 1, "result": {
        "hash": txid, "from": sender.lower(), "input": "0x" + root, "blockNumber": "0x3e8"}}).encode())
    host.serve("/samples/3.0/issuer-blockcerts.json", profile(sender))
    checked = verify(document, context(host, network))
    assert checked.verdict.valid, checked.verdict.message
    assert checked.verdict.anchor == f"Anchored in Ethereum Sepolia (test) tx {txid}, block 1000"
    call = json.loads(host.posted[0])
    assert call["method"] == "eth_getTransactionByHash" and call["params"] == [txid]


def test_the_anchor_is_saved_and_shown_offline_with_its_day(host, network, identity):
    document = anchored_v2(host)
    serve_bitcoin(host, document)
    assert verify(document, context(host, network, identity.store)).verdict.valid
    host.close()
    offline = verify(document, verification_context(store=identity.store))
    assert offline.verdict.valid and "(anchor checked on " in offline.verdict.anchor
    assert "saved copy" in offline.verdict.anchor


# ---- attacks: nothing becomes valid ----------------------------------------------------------

def test_an_explorer_that_lies_with_another_op_return_is_a_mismatch(host, network):
    document = anchored_v2(host)
    serve_bitcoin(host, document, payload="ab" * 32)
    verdict = verify(document, context(host, network)).verdict
    assert not verdict.valid and verdict.reason is Reason.TAMPERED
    assert "anchor does not match" in verdict.message and "ab" * 32 in verdict.message


def test_a_forger_anchoring_a_recomputed_root_is_not_the_issuer(host, network):
    """Anyone can anchor the root of a certificate naming any issuer: the sender must be an
    address the issuer's own profile lists."""
    forged = anchored_v2(host, name="Doctorate in Engineering")
    serve_bitcoin(host, forged, sender=FORGER_ADDRESS)
    verdict = verify(forged, context(host, network)).verdict
    assert not verdict.valid and verdict.reason is Reason.WRONG_KEY and FORGER_ADDRESS in verdict.message


def test_a_key_the_issuer_revoked_before_the_block_does_not_count(host, network):
    document = anchored_v2(host)
    serve_bitcoin(host, document)
    host.serve("/issuer.json", profile(ISSUER_ADDRESS, revoked="2019-03-01T00:00:00Z"))
    assert verify(document, context(host, network)).verdict.reason is Reason.WRONG_KEY


def test_an_explorer_answering_another_transaction_leaves_the_anchor_unchecked(host, network):
    document = anchored_v2(host)
    host.serve(f"/api/tx/{TXID}", esplora_tx("cd" * 32, document["signature"]["merkleRoot"], ISSUER_ADDRESS))
    verdict = verify(document, context(host, network)).verdict
    assert not verdict.valid and verdict.reason is Reason.UNKNOWN_KEY
    assert "anchor not checked" in verdict.message and "another transaction" in verdict.message


def test_a_huge_answer_is_not_read(host, network):
    document = anchored_v2(host)
    host.serve(f"/api/tx/{TXID}", b"{" + b" " * (2 * 1024 * 1024) + b"}")
    verdict = verify(document, context(host, network)).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "larger than" in verdict.message


def test_a_slow_explorer_is_cut_off_at_the_deadline(host, network):
    document = anchored_v2(host)
    host.hang(f"/api/tx/{TXID}")
    verdict = verify(document, context(host, network, deadline=0.5)).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "anchor not checked" in verdict.message
    assert "/issuer.json" not in host.requests


def test_a_redirect_to_a_private_address_is_not_followed(host, network):
    document = anchored_v2(host)
    host.redirect(f"/api/tx/{TXID}", f"https://10.0.0.7/api/tx/{TXID}")
    verdict = verify(document, context(host, network)).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "redirects to another host" in verdict.message


def test_a_loopback_explorer_is_refused_unless_allowed(host):
    document = anchored_v2(host)
    serve_bitcoin(host, document)
    verdict = verify(document, context(host, NetworkUse())).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "loopback address" in verdict.message
    assert host.requests == []


def test_explorer_down_unknown_chain_and_did_issuers_say_why_not_checked(host, network):
    document = anchored_v2(host)      # nothing served: HTTP 404
    assert "HTTP 404" in verify(document, context(host, network)).verdict.message
    ctx = context(host, network)
    ctx.blockchain_anchors.explorers = {}
    assert "no explorer is known for Bitcoin" in verify(document, ctx).verdict.message
    root = "68df661ae14f926878aabbe5ca33e46376e8bfb397c1364c2f1fa653ecd8b4b6"
    txid = "140ee9382a5c84433b9c89a5d9fea26c47415838b5841deb0c36a8a4b9121f2e"
    host.serve(f"/testnet/tx/{txid}", esplora_tx(txid, root, "mzExample"))
    ctx = context(host, network)
    ctx.blockchain_anchors.explorers = {"Bitcoin testnet": url(host, "/testnet")}
    verdict = check((BLOCKCERTS / "testnet-v3-did.json").read_bytes(), ctx).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "is not an https profile" in verdict.message
    assert f"the root is in Bitcoin testnet transaction {txid}" in verdict.message


# ---- the command line --------------------------------------------------------------------------

def test_cli_reads_the_anchor_only_when_online_from_the_explorer_given(cli_output):
    """An explorer on the intranet (plain http, private addresses allowed in the settings)
    that answers another root: `--online` names the mismatch; offline nothing is asked."""
    from vault import settings
    server = StatusServer()
    try:
        document = v2_certificate()
        server.serve(f"/api/tx/{TXID}", esplora_tx(TXID, "ab" * 32, ISSUER_ADDRESS))
        path = cli_output.tmp / "cert.json"
        path.write_text(json.dumps(document))
        explorer = ("--explorer", f"bitcoin={server.url('/api')}")
        code, out, _ = cli_output("credential", "verify", path, *explorer)
        assert code == 1 and "Integrity verified, blockchain anchor not checked" in out
        assert "checking online is off" in out and server.requests == []
        settings.set_status_checks(cli_output.home, online=True, allow_private=True)
        code, verdict, _ = cli_output("credential", "verify", path, "--json", "--online", *explorer)
        assert code == 1 and verdict["reason"] == "tampered-content" and "ab" * 32 in verdict["message"]
        assert server.requests == [f"/api/tx/{TXID}"]
        code, _, err = cli_output("credential", "verify", path, "--online", "--explorer", "dogecoin=https://x")
        assert code != 0 and "CHAIN one of bitcoin" in err
        # The explorer chosen in Settings is read without --explorer.
        settings.set_explorers(cli_output.home, {"Bitcoin": server.url("/saved")})
        server.serve(f"/saved/tx/{TXID}", esplora_tx(TXID, "cd" * 32, ISSUER_ADDRESS))
        code, verdict, _ = cli_output("credential", "verify", path, "--json", "--online")
        assert code == 1 and "cd" * 32 in verdict["message"] and server.requests[-1] == f"/saved/tx/{TXID}"
    finally:
        server.close()


def test_a_json_rpc_endpoint_that_redirects_is_not_followed(host, network):
    """A POST is never re-sent elsewhere: a redirecting JSON-RPC endpoint is refused."""
    document = load("ethereum-sepolia-v3.json")
    host.redirect("/rpc", url(host, "/elsewhere"))
    verdict = verify(document, context(host, network)).verdict
    assert verdict.reason is Reason.UNKNOWN_KEY and "redirects, which a JSON-RPC endpoint" in verdict.message
    assert host.requests == ["/rpc"]


def test_an_ethereum_issuer_key_published_as_a_jwk_gives_its_address():
    """v3 issuer profiles publish a secp256k1 JWK: its Ethereum address is the one that
    may anchor; the same key on a Bitcoin anchor (another address form) is not used."""
    from base64 import urlsafe_b64encode

    from eth_keys import keys

    from vault.credentials.blockcerts_anchor import profile_addresses
    public = keys.PrivateKey(b"\x07" * 32).public_key
    raw = public.to_bytes()
    jwk = {"kty": "EC", "crv": "secp256k1", "x": urlsafe_b64encode(raw[:32]).decode().rstrip("="),
           "y": urlsafe_b64encode(raw[32:]).decode().rstrip("=")}
    issuer = {"verificationMethod": [{"id": "#key-1", "publicKeyJwk": jwk}]}
    assert profile_addresses(issuer, "Ethereum Sepolia (test)", None) == {public.to_checksum_address().lower()}
    assert profile_addresses(issuer, "Bitcoin", None) == set()
