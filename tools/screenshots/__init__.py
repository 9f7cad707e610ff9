"""Drive the app through its screens on throwaway vaults and save a PNG of each.

    QT_QPA_PLATFORM=offscreen python -m tools.screenshots [--out docs/screenshots]

Nothing here touches a real vault: every vault lives in a temporary folder, removed at
the end, and is made with the floor Argon2id parameters. ``pages`` shoots the vault's own
pages, ``chain`` the chain pages; ``samples`` signs the credentials they show.
"""
