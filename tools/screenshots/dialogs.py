"""The dialogs added to Credentials, Present and Verify, each as it first opens over the
window: "Receive from an offer…", "Answer a request…" and "Ask with OpenID4VP…". (Load
policy… is the platform's file chooser: nothing of ours to show.)"""

from __future__ import annotations

from pathlib import Path

from .common import shoot, wait_until

# page title, the page's method that opens the dialog, the file it is shot to
DIALOGS = (("Credentials", "receive_from_offer", "receive-offer.png"),
           ("Present", "answer_request", "answer-request.png"),
           ("Verify", "ask_with_openid4vp", "ask-openid4vp.png"))


def shoot_dialogs(window, out: Path) -> list[Path]:
    written = []
    for title, opener, name in DIALOGS:
        window.workspace.show_page(title)
        page = window.workspace.pages.currentWidget()
        getattr(page, opener)()
        dialog = page.dialog
        wait_until(lambda: dialog.isVisible())
        written.append(shoot(dialog, out / name))
        dialog.reject()
        wait_until(lambda: page.dialog is None)
    return written
