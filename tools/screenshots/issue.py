"""The Issue page: the form filled in for a learner, and the issued log with a few
credentials (one revoked, one suspended).

    python -c "from tools.screenshots.issue import main; main()"   # these two only
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .common import PASSPHRASE, SIZE, shoot, wait_until

LEARNERS = ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "did:pkh:eip155:1:0x00000000000000000000000000000000000A11cE",
            "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
            "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf")


def shoot_issue(tmp: Path, out: Path) -> list[Path]:
    from ui.config import AppConfig
    from ui.issue import IssuePage
    from ui.main_window import MainWindow
    from vault.identity import Identity
    from vault.issuing.issuer import Evidence, IssueOptions, Issuer

    data_dir = tmp / "issuer"
    identity, _ = Identity.create(data_dir, PASSPHRASE, kdf_target=0)
    issuer = Issuer(identity)
    profiles = issuer.profiles
    bootcamp = profiles.create("Riverside Coding Bootcamp", url="https://riverside.example",
                               description="Evening and weekend courses in programming and data.",
                               anchor_account=identity.accounts()[0].address)
    python = profiles.add_achievement(bootcamp.id, "Data Analysis with Python",
                                      description="Cleaned, analysed and charted a public data set with pandas.",
                                      criteria="Passed the final project review.", achievement_type="Certificate",
                                      alignment=[{"targetName": "Python programming",
                                                  "targetUrl": "https://skills.example/python"}])
    web = profiles.add_achievement(bootcamp.id, "Web Accessibility Basics", criteria="Audited a site to WCAG 2.2.")
    mentors = profiles.create("Lakeside Mentors", url="https://mentors.lakeside.example")
    review = profiles.add_achievement(mentors.id, "Peer-reviewed project", criteria="Two mentors reviewed it.")
    start = datetime(2026, 9, 1, tzinfo=timezone.utc)
    issued = []
    for n, (profile, achievement, learner, fmt) in enumerate((
            (bootcamp, python, LEARNERS[0], "di"), (bootcamp, web, LEARNERS[1], "jcs"),
            (mentors, review, LEARNERS[2], "sd-jwt"), (bootcamp, python, LEARNERS[3], "di"))):
        options = IssueOptions(evidence=(Evidence(url="https://github.com/learner/project"),),
                               valid_from=start + timedelta(days=n))
        issued.append(issuer.issue(profile.id, achievement.id, learner, fmt=fmt, options=options))
    issuer.revoke(issued[3].id)
    issuer.suspend(issued[1].id)
    identity.store.lock()

    window = MainWindow(AppConfig(data_dir, kdf_target=0, connect_chain=False))
    window.resize(*SIZE)
    window.show()
    window.page.passphrase.setText(PASSPHRASE)
    window.page.submit()
    wait_until(lambda: window.workspace is not None)
    window.workspace.show_page("Issue")
    page = window.workspace.pages.currentWidget()
    assert isinstance(page, IssuePage)
    form = page.form
    form.profile.setCurrentIndex(form.profile.findData(bootcamp.id))
    form.achievement.setCurrentIndex(form.achievement.findData(python.id))
    form.recipient.set_recipient("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH")
    form.evidence_url.setText("https://github.com/learner/analysis")
    form.evidence_text.setPlainText("Cleaned and charted the city's open bike-share data.")
    written = [shoot(window, out / "issue.png")]
    page.show_tab(page.log)
    page.log.table.selectRow(0)
    written.append(shoot(window, out / "issued-log.png"))
    window.close()
    return written


def main(out: Path = Path("docs/screenshots")) -> list[Path]:
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import create_application

    create_application()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="btv-shots-") as tmp:
        return shoot_issue(Path(tmp), out)
