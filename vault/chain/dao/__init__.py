"""The DAO beyond the core governor: its constitution, gas-free polls, grants paid by
milestone and the opt-in keeper that executes passed proposals (docs/governance.md).

One module per mechanism; each reads its contract's events incrementally (``eventlog``)
and builds its writes as requests for the one transaction service, like the core.
"""
