"""The Governance page, by component: the proposals' words and list model (models), their
painted cells (delegates), the selected proposal (panel), the page (page) and its dialogs
(dialogs: a new proposal; votes: a vote signed offline, a signed vote to relay)."""

from .page import GovernancePage

__all__ = ["GovernancePage"]
