"""The Credentials page: the vault's credentials as cards, search, filters, import, detail."""

from PySide6.QtCore import QDir

import resources

from .page import CredentialsPage

if str(resources.path("icons")) not in QDir.searchPaths("icons"):
    QDir.addSearchPath("icons", str(resources.path("icons")))   # url(icons:…) in app.qss

__all__ = ["CredentialsPage"]
