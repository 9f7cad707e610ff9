"""The bundle's one executable: the desktop app, or the `vault` command line when called
as `vault` (the bundle's symlink) or with `--cli` first (`blocktrack-vault --cli list`).
One executable, not two, so the bundle carries Python and its libraries once."""

import os
import sys


def main() -> int:
    argv = sys.argv[1:]
    if os.path.basename(sys.argv[0]) == "vault" or argv[:1] == ["--cli"]:
        from vault.cli import main as cli_main

        return cli_main(argv[1:] if argv[:1] == ["--cli"] else argv)
    from ui.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
