"""python -m tools.screenshots: every screenshot of the README (see tools/screenshots/)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tools import screenshots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots",
                                     description=screenshots.__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tools.screenshots.pages import run   # after the platform is chosen
    run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
