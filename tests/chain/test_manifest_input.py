"""A deployment manifest is a file anyone can hand over: deep nesting is an
invalid-manifest error, not a crash."""

import pytest

from vault.chain.networks import Manifest
from vault.errors import ChainError


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"contracts": ' + "[" * 100_000 + "]" * 100_000 + "}"])
def test_a_deeply_nested_manifest_is_refused(tmp_path, text):
    path = tmp_path / "manifest.json"
    path.write_text(text)
    with pytest.raises(ChainError, match="not JSON .*nested more than 256 levels") as err:
        Manifest.load(path)
    assert err.value.reason == "invalid-manifest"
