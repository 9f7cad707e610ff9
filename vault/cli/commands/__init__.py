"""The `vault` commands, a module per group: each has ``add_parser(sub)`` adding its
commands (vault.cli.parser assembles them) and the ``cmd_*(args)`` functions they run.
They use vault.cli.io and vault.cli.session, never the parser or main."""
