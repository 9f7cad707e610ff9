"""DIDs this wallet makes and resolves offline: did:key, did:jwk, did:pkh."""

from .resolver import SUPPORTED_METHODS, method_of, resolve

__all__ = ["SUPPORTED_METHODS", "method_of", "resolve"]
