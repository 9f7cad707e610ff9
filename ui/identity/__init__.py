"""The Identity page: DIDs, Ethereum accounts and the recovery phrase."""

from .identity_page import IdentityPage

__all__ = ["IdentityPage"]
