"""The Staking page, by component: words and the validators' model (models), the status
pill (delegates), the position's tiles and the stake / unstake forms (panel), the page."""

from .page import StakingPage

__all__ = ["StakingPage"]
