"""Blocktrack Vault desktop app (PySide6): windows, pages, item models and workers.

A thin layer over the ``vault`` core: every action calls a core service, every slow call
(Argon2id key derivation) runs off the GUI thread through ``ui.workers``.
"""
