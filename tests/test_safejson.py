import sys

import pytest

import eth_account  # noqa: F401  (raises the recursion limit to 100,000, as in the app)
from vault import safejson
from vault.credentials.verify import check


def test_the_hazard_is_real():
    assert sys.getrecursionlimit() >= 100_000  # if this fails, py_ecc stopped doing it


@pytest.mark.parametrize("text", ["[" * 200_000 + "]" * 200_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_deep_input_is_a_value_error_not_a_crash(text):
    with pytest.raises(ValueError, match="nested more than"):
        safejson.loads(text)
    verdict = check(text.encode()).verdict
    assert not verdict.valid and verdict.reason.value == "malformed"


def test_brackets_inside_strings_do_not_count():
    value = {"s": "[" * 10_000, "n": [[[1]]]}
    import json
    assert safejson.loads(json.dumps(value)) == value
    assert safejson.loads(b'{"a": "\\"[[[["}') == {"a": '"[[[['}
