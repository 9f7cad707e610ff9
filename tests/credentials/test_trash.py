"""The desktop's trash: a deleted credential waits, encrypted, for Undo until the app run
that deleted it ends; a run that ended without emptying it is emptied at the next unlock."""

import pytest

from vault.credentials.service import CredentialService
from vault.credentials.trash import Trash
from vault.errors import NotFound

from tests.conftest import FIXTURES

CREDENTIAL = FIXTURES / "interop" / "di-eddsa-jcs-2022" / "valid-01-open-badge.json"


@pytest.fixture
def service(identity):
    return CredentialService(identity.store)


def test_move_then_put_back_keeps_tags_and_note(service):
    cid = service.import_bytes(CREDENTIAL.read_bytes()).summary.id
    service.repository.set_tags(cid, ["job"])
    service.repository.set_note(cid, "shown to Acme")
    trash = Trash(service, "run-1")
    title = trash.move(cid)
    assert title and service.repository.count() == 0 and trash.ids() == [cid]
    summary = trash.put_back(cid)
    assert summary.id == cid and (summary.tags, summary.note) == (["job"], "shown to Acme")
    assert service.repository.original(cid) == CREDENTIAL.read_bytes()
    assert trash.ids() == []
    with pytest.raises(NotFound):
        trash.put_back(cid)


def test_closing_empties_this_run_and_the_next_unlock_what_others_left(service):
    cid = service.import_bytes(CREDENTIAL.read_bytes()).summary.id
    crashed, current = Trash(service, "crashed-run"), Trash(service, "this-run")
    crashed.move(cid)
    assert current.ids() == [] and current.empty() == 0          # not this run's
    assert current.empty_left_over() == 1
    assert service.store.query("SELECT id FROM credential_trash") == []
    with pytest.raises(NotFound):
        current.put_back(cid)
    assert service.repository.count() == 0
