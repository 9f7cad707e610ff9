"""Before the vault is open: start screen, create, restore (phrase or backup), unlock."""

from .create_flow import CreateVaultFlow
from .integrity import PostponedIntegrityCheck
from .restore_backup import RestoreBackupPage
from .restore_phrase import RestorePhrasePage
from .start_page import StartPage
from .unlock_page import UnlockPage

__all__ = ["CreateVaultFlow", "PostponedIntegrityCheck", "RestoreBackupPage", "RestorePhrasePage", "StartPage", "UnlockPage"]
