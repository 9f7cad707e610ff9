"""`vault gov membership demo|show`: the DAO membership quadratic polls and proposals count
(vault/chain/dao/membership.py), and the embedded chain's demo one
(vault/anchoring/demo_membership.py).

    vault gov membership show [--account A] [--json]   member or not, the token, why not
    vault gov membership demo [--account A]            the demo issuer of the built-in test
                                                       chain anchors one for A (refused on
                                                       any other network, and for a member)

A is a vault account's name, its address or did:pkh (show: any address); default the
first account.
"""

from __future__ import annotations

from ..io import UsageError, emit, say
from ..options import command
from ..session import address_arg, connect, open_session, unlocked


def _by_name(identity, text: str | None) -> str:
    """The vault account ``text`` names (its name, address or did:pkh), else the first."""
    accounts = identity.accounts()
    if not text:
        return accounts[0].address
    named = [a.address for a in accounts if a.name and a.name.casefold() == text.strip().casefold()]
    if len(named) == 1:
        return named[0]
    address = address_arg(text)
    if address not in [a.address for a in accounts]:
        raise UsageError(f"{text} is not an account of this vault (give its name, address or did:pkh; "
                         "`vault wallet` lists them)")
    return address


def _is_address(text: str | None) -> bool:
    return bool(text) and (text.startswith("did:pkh:") or (text.startswith("0x") and len(text) == 42))


def cmd_membership_show(args) -> None:
    # start-up: vault.anchoring.demo_membership ~430 ms (chain, issuing, credentials), only when it runs
    from ...anchoring.demo_membership import membership_status

    if _is_address(args.account):   # any address: no passphrase
        with connect(args) as chain:
            status = membership_status(chain, address_arg(args.account, chain.chain_id))
    else:
        with unlocked(args) as identity, connect(args, identity) as chain:
            status = membership_status(chain, _by_name(identity, args.account))
    emit(args, status, status["words"])


def cmd_membership_demo(args) -> int:
    # start-up: as above, ~430 ms
    from ...anchoring.demo_membership import get_demo_membership

    with open_session(args) as s:
        address = _by_name(s.identity, args.account)
        say(f"The built-in test chain's demo issuer anchors a membership credential for {address} "
            "(it pays the fees; nothing is signed with your keys)…")
        got = get_demo_membership(s.chain, s.identity, address)
    emit(args, got, f"{got['words']}\nCredential {got['credential_id']} (issued to {got['holder_did']}).")
    return 0


def add_membership_commands(gp) -> None:
    """Under `vault gov`."""
    mp = gp.add_parser("membership", help="the membership quadratic polls and proposals count: show it, or get a "
                                          "demo one on the built-in test chain").add_subparsers(
        dest="membership_sub", required=True)
    p = command(mp, "show", cmd_membership_show, "whether an account is a member now, its token, or why not")
    p.add_argument("--account", metavar="NAME|ADDRESS", help="a vault account's name or address, or any address "
                                                              "(default: your first account)")
    p = command(mp, "demo", cmd_membership_demo, "built-in test chain only: its demo issuer anchors a membership "
                                                 "credential for your account and stores it in your vault")
    p.add_argument("--account", metavar="NAME|ADDRESS", help="which vault account (its name or address; default: "
                                                              "the first)")
