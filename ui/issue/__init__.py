"""The Issue page: issuer profiles, achievements, issuing, delivery, the issued log."""

from .page import IssuePage

__all__ = ["IssuePage", "for_workspace"]


def for_workspace(workspace) -> IssuePage:
    """The page as the workspace builds it: the Credentials page's service (for "Add to
    this vault"), the task runner, and the chain session it anchors through."""
    return IssuePage(workspace.identity, workspace.credentials_page.service, workspace._tasks,
                     workspace.chain_session)
