"""Fixtures for the contract tests: the whole suite deployed once per session on an
in-process Cancun chain, reverted to a snapshot after every test (see harness.py)."""

import pytest

from tests.contracts.harness import Suite, coverage_line, deploy_suite, gas_line, make_chain


@pytest.fixture(scope="session")
def _deployed_suite() -> Suite:
    from eth.vm.forks import CancunVM

    return deploy_suite(make_chain(CancunVM))


@pytest.fixture
def suite(_deployed_suite: Suite):
    """The deployed suite, reverted to its deployment state after the test."""
    tester = _deployed_suite.chain.tester
    snapshot = tester.take_snapshot()
    try:
        yield _deployed_suite
    finally:
        tester.revert_to_snapshot(snapshot)


@pytest.fixture
def a(suite: Suite) -> dict[str, str]:
    return suite.a


def pytest_terminal_summary(terminalreporter):
    for line in (coverage_line(), gas_line()):
        if line:
            terminalreporter.write_line(line)
