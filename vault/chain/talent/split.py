"""Where a funded offer's money goes, computed as the contract does (integer basis points):
the client pays price + fee, the talent receives the whole price, each side's connector
(when it has one) its share of the price out of the fee, the fee's rest is split between
burning and the treasury."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..units import format_units

BPS = 10_000


def amount(wei: int) -> str:
    """1,000 or 12.5: an amount in whole BTK as the split's sentence says it."""
    return format_units(wei, "BTK").removesuffix(" BTK")


@dataclass(frozen=True)
class Split:
    price: int
    fee: int
    client_connector: int  # to the client's referrer (0 without one)
    talent_connector: int  # to the talent's referrer (0 without one)
    treasury: int
    burned: int

    @property
    def pay(self) -> int:
        return self.price + self.fee

    @property
    def connectors(self) -> int:
        return self.client_connector + self.talent_connector

    def sentence(self) -> str:
        """"you pay 1,000 + 25 fee; talent receives 1,000; connectors 20; treasury 5; burned 0"."""
        return (f"you pay {amount(self.price)} + {amount(self.fee)} fee; talent receives {amount(self.price)}; "
                f"connectors {amount(self.connectors)}; treasury {amount(self.treasury)}; "
                f"burned {amount(self.burned)}")

    def to_json(self) -> dict:
        out = {k: str(v) for k, v in asdict(self).items()}
        return out | {"pay": str(self.pay), "connectors": str(self.connectors), "text": self.sentence()}


def split(price: int, terms: dict, *, client_has_referrer: bool, talent_has_referrer: bool) -> Split:
    """The split of ``price`` under ``terms`` ({fee_bps, connector_bps, burn_bps, ...})."""
    fee = price * terms["fee_bps"] // BPS
    cut = price * terms["connector_bps"] // BPS
    client_cut = cut if client_has_referrer else 0
    talent_cut = cut if talent_has_referrer else 0
    rest = fee - client_cut - talent_cut
    burned = rest * terms["burn_bps"] // BPS
    return Split(price, fee, client_cut, talent_cut, rest - burned, burned)
