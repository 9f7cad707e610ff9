"""python -m bench: every benchmark, beside the peers, against the budgets (see bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
