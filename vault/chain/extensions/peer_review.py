"""PeerReview (vault/chain/peer_review.py): staked peer review of learners' work by bonded
reviewers, governed by the timelock; deploy-parameters.json's "peerReview": {"minFee",
"minBond", "reviewStake" (whole BTK), "windowBlocks", "minReviews"}. After the
reputation registry, whose bonds it reads."""

from __future__ import annotations

from ..contracts import BTK
from .base import DeployContext, Extension


def _deploy(ctx: DeployContext) -> str:
    a, p = ctx.addresses, ctx.params["peerReview"]
    return ctx.create("PeerReview", a["token"], a["reputation"], a["timelock"],
                      (p["minFee"] * BTK, p["minBond"] * BTK, p["reviewStake"] * BTK, p["windowBlocks"],
                       p["minReviews"]))


EXTENSION = Extension("peer-review", "PeerReview", "the peer review contract", _deploy)
