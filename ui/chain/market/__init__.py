"""The Marketplace page, by component: words, the offers' model and filters (models), the
selected offer (panel), posting an offer (dialogs), the local test chain's demo client
(demo) and the page."""

from .page import MarketplacePage

__all__ = ["MarketplacePage"]
