"""`python -m vault.cli`: the package is imported once, so its errors are the ones main()
catches (a second copy of the module would make a UsageError an "Unexpected error")."""

import sys

from .main import main

sys.exit(main())
