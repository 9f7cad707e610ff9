"""Connectors for life: an account names its referrer once (never changed), signing an
EIP-712 ``Referral(account, referrer, deadline)`` so that anyone (the referrer, a relayer)
may submit it; on every released offer each side's referrer earns its share of the price,
out of the fee, withdrawn when it likes. A mixin of TalentMarket (self.m, self.chain)."""

from __future__ import annotations

from eth_account import Account

from ...errors import ChainError
from ..plan import Plan, as_plan
from ..units import format_amount, format_units, parse_address

REFERRAL_TYPES = {"Referral": [{"name": "account", "type": "address"}, {"name": "referrer", "type": "address"},
                               {"name": "deadline", "type": "uint256"}]}
SIGNATURE_HOURS = 24 * 7  # how long a signed referral may wait for its relayer


class Connectors:
    def connector(self, address: str) -> dict:
        """{referrer (or None), referred: [accounts], earned, withdrawn, withdrawable} of
        ``address`` (amounts as decimal strings in whole BTK, *_wei in wei)."""
        log, me = self._log(), address.lower()
        earned, withdrawn = log.earned.get(me, 0), log.withdrawn.get(me, 0)
        return {"address": self.w3.to_checksum_address(address), "referrer": log.referrer.get(me),
                "referred": list(log.referred.get(me, [])), "earned": format_amount(earned),
                "withdrawn": format_amount(withdrawn), "withdrawable": format_amount(earned - withdrawn),
                "earned_wei": str(earned), "withdrawn_wei": str(withdrawn), "withdrawable_wei": str(earned - withdrawn)}

    def _check_referrer(self, account: str, referrer: str) -> str:
        referrer = parse_address(str(referrer), self.chain.chain_id)
        if referrer.lower() == account.lower():
            raise ChainError("invalid-referrer", "An account cannot be its own referrer.")
        current = self._log().referrer.get(account.lower())
        if current:
            raise ChainError("referrer-already-set", f"{account} already named its referrer ({current}); it never "
                                                     "changes.")
        return referrer

    def register_referrer_plan(self, service, sender: str, referrer: str) -> Plan:
        """The sender names its own referrer (and pays the gas)."""
        referrer = self._check_referrer(sender, referrer)
        return as_plan(self._call(service, "connector-register", "registerReferrer", [referrer], sender,
                                  f"Name {referrer} as your referrer, for life: it earns its share of every "
                                  "offer you complete, out of the fee", {"referrer": referrer}))

    def sign_referral(self, key: bytes, account: str, referrer: str, *, deadline: int | None = None) -> dict:
        """``account``'s signed referral (with its key), for anyone to submit:
        {account, referrer, deadline, signature (0x hex)}."""
        referrer = self._check_referrer(account, referrer)
        account = self.w3.to_checksum_address(account)
        if Account.from_key(key).address != account:
            raise ChainError("wrong-key", f"The key given is not {account}'s.")
        deadline = int(deadline or self.chain.latest_timestamp() + SIGNATURE_HOURS * 3600)
        _f, name, version, chain_id, verifying, _s, _e = self.m.functions.eip712Domain().call()
        signed = Account.sign_typed_data(
            key, {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying},
            REFERRAL_TYPES, {"account": account, "referrer": referrer, "deadline": deadline})
        return {"account": account, "referrer": referrer, "deadline": deadline,
                "signature": "0x" + bytes(signed.signature).hex()}

    def register_signed_referrer_plan(self, service, submitter: str, signed: dict) -> Plan:
        """Submit a referral signed by its account (sign_referral), paid by ``submitter``."""
        try:
            account = self.w3.to_checksum_address(signed["account"])
            referrer = self._check_referrer(account, signed["referrer"])
            deadline, signature = int(signed["deadline"]), bytes.fromhex(str(signed["signature"]).removeprefix("0x"))
        except (KeyError, TypeError, ValueError) as exc:
            raise ChainError("invalid-referral", f"This is not a signed referral: {exc}.") from None
        if deadline < self.chain.latest_timestamp():
            raise ChainError("signature-expired", "The signed referral expired: ask the account to sign a new one.")
        return as_plan(self._call(service, "connector-register", "registerReferrerFor",
                                  [account, referrer, deadline, signature], submitter,
                                  f"Record {referrer} as the referrer of {account}, for life (signed by {account})",
                                  {"account": account, "referrer": referrer}))

    def withdraw_earnings_plan(self, service, sender: str) -> Plan:
        due = int(self.m.functions.earnings(self.w3.to_checksum_address(sender)).call())
        if not due:
            raise ChainError("nothing-to-withdraw", "There are no connector earnings to withdraw yet.")
        return as_plan(self._call(service, "connector-withdraw", "withdrawEarnings", [], sender,
                                  f"Withdraw {format_units(due)} of connector earnings", {"amount": str(due)}))
