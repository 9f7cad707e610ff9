"""Blocktrack Vault core: encrypted store, keys, DIDs and (later) credentials and chain.

This package never imports Qt; the desktop app in ``ui`` and the ``vault`` command
line are both thin layers over it.
"""

__version__ = "0.1.0"
