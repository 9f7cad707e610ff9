"""A link the app was opened with (a registered openid-credential-offer://, dccrequest://
or openid4vp:// scheme): once the vault is unlocked, the dialog it belongs to opens with
the link filled in. Nothing is fetched until the person presses that dialog's button."""

from __future__ import annotations

RECEIVE = ("openid-credential-offer://", "dccrequest://")
ANSWER = ("openid4vp://",)


def open_link(workspace, link: str | None) -> bool:
    """Open ``link``'s dialog in ``workspace``; False when it is not such a link."""
    link = (link or "").strip()
    if link.lower().startswith(ANSWER):
        workspace.show_page("Present")
        page = workspace.present_page
        page.answer_request()
    elif link.lower().startswith(RECEIVE):
        workspace.show_page("Credentials")
        page = workspace.credentials_page
        page.receive_from_offer()
    else:
        return False
    page.dialog.link.setPlainText(link)
    return True
