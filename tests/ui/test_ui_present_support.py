"""Shared by test_ui_present*.py and test_ui_verify*.py (no tests here): a vault holding
credentials issued to its own did:key, the unlocked window, and reading codes back from
the pixels a widget paints."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt
from PySide6.QtGui import QImage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "presentations"))
from vp_fixtures import (CHALLENGE, DOMAIN, STRANGER, di_credential, jwt_credential,  # noqa: E402
                         sd_jwt_credential)

from vault.qr import scan  # noqa: E402

__all__ = ["CHALLENGE", "DOMAIN", "STRANGER", "click_row", "holder_vault", "png_bytes", "read_widget",
           "texts_of_widget", "window"]


@pytest.fixture
def holder_vault(config, ui_helpers):
    """A vault with a Data Integrity, a VC-JWT and an SD-JWT VC credential issued to its
    default did:key (and one issued to a stranger). Returns ids by kind and the holder."""
    from vault.credentials.service import CredentialService
    from vault.identity import Identity
    identity, _ = Identity.create(config.data_dir, ui_helpers.PASSPHRASE, kdf_target=0)
    holder = identity.default_did().did
    service = CredentialService(identity.store)

    def store(data: bytes) -> str:
        return service.import_bytes(data).summary.id

    ids = {"di": store(di_credential(holder)), "jwt": store(jwt_credential(holder)),
           "sd": store(sd_jwt_credential(holder, identity.signing_key(holder).public_key())),
           "stranger": store(di_credential(STRANGER, name="Someone Else's Badge"))}
    identity.store.lock()
    return {"ids": ids, "holder": holder}


@pytest.fixture
def window(qtbot, holder_vault, make_window, config, ui_helpers):
    window = make_window(config)
    ui_helpers.unlock_through_ui(qtbot, window)
    return window


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def texts_of_widget(widget) -> list[str]:
    """The QR texts in what ``widget`` paints: its own pixels, grabbed."""
    return scan.read_image(png_bytes(widget.grab().toImage()))


def read_widget(widget):
    """The presentation in what ``widget`` paints (one code)."""
    return scan.read_presentation(png_bytes(widget.grab().toImage()))


def click_row(qtbot, view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(rect.center().x(), rect.center().y()))
