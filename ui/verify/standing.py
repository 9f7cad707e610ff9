"""The Verify page's standing and policy panel: the holder's bond, trust score and its
parts as the chain says them (or "not checked" offline), and the loaded access policy's
verdict, requirement by requirement. All of it is outside text: plain labels."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ..widgets import section_title
from ..widgets.labels import text_label


def standing_text(standing: dict | None) -> tuple[str, str]:
    """(headline, detail) of a presentation's standing."""
    if standing is None:
        return "No standing presented", "The holder did not include a bond or trust score."
    if not standing["proven"]:
        return "Standing not proven", standing["problem"] or ""
    account = f"account {standing['account']} (chain {standing['chain_id']}), linked to the holder"
    if standing["chain"] is None:
        return "Standing not checked", f"{account}. Not checked: {standing['not_checked']}."
    c = standing["chain"]
    parts = "\n".join(f"  {p['part'].capitalize()}: {p['points']:+d} ({p['detail']})" for p in c["parts"])
    slashes = "".join(f"\n  Slashed {s['amount']} BTK: {s['reason']}" for s in c["slashes"])
    return (f"Trust score {c['score']} / 100: {c['summary']}",
            f"{account}; staked {c['staked']} BTK; read at block {c['block']:,}.\n{parts}{slashes}")


def policy_text(judged) -> tuple[str, str]:
    mark = {True: "met", False: "NOT met", None: "not checked"}
    name = f" {judged.policy.name}" if judged.policy.name else ""
    return (f"Policy{name}: {judged.sentence}",
            "\n".join(f"[{mark[r['met']]}] {r['requirement']}: {r['detail']}" for r in judged.requirements))


class StandingView(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("standingView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(section_title("Standing"))
        self.headline = text_label(name="standingHeadline", selectable=True)
        self.detail = text_label(name="standingDetail", selectable=True)
        self.policy_headline = text_label(name="policyHeadline", selectable=True)
        self.policy_detail = text_label(name="policyDetail", selectable=True)
        for label in (self.headline, self.detail, self.policy_headline, self.policy_detail):
            layout.addWidget(label)
        self.hide()

    def show_outcome(self, standing: dict | None, judged) -> None:
        headline, detail = standing_text(standing)
        self.headline.setText(headline)
        self.detail.setText(detail)
        has_policy = judged is not None
        self.policy_headline.setVisible(has_policy)
        self.policy_detail.setVisible(has_policy)
        if has_policy:
            head, lines = policy_text(judged)
            self.policy_headline.setText(head)
            self.policy_detail.setText(lines)
        self.show()

    def plain_text(self) -> str:
        return "\n".join(label.text() for label in (self.headline, self.detail, self.policy_headline,
                                                     self.policy_detail) if label.isVisible() or label.text())
