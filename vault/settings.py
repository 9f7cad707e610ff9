"""Typed, validated settings of one vault, for the GUI and the CLI alike.

Three homes, chosen by who must read a setting and when:

- **In the vault** (its encrypted ``settings`` table), readable only while unlocked:
  the auto-lock time. A security setting lives where nobody can change it without the
  passphrase (a plain file could be edited to "never lock").
- **Beside the vault** in ``<data_dir>/preferences.json`` (plain, 0600, written
  atomically): the theme. The unlock screen is drawn before there is a key, and a theme
  is no secret. Also whether verifying checks status lists and issuer keys online, and
  whether that may reach private and local addresses (both off): ``vault verify`` and ``vault
  credential verify`` need no passphrase yet follow them, like the network choice below.
- **The network** is the chain layer's: ``<data_dir>/chain/network.json`` through
  ``vault.chain.networks`` (plain too, so ``vault chain status`` needs no passphrase).
  This module only validates what a person typed before handing it over.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import VaultError
from .store import VaultStore
from .store.atomic import ensure_private_dir, write_atomic

log = logging.getLogger(__name__)


class InvalidSetting(VaultError):
    """A setting value that cannot be used; the message says what would be accepted."""


# ---- in the vault ---------------------------------------------------------------------

AUTO_LOCK_KEY = "auto_lock_minutes"
DEFAULT_AUTO_LOCK_MINUTES = 5
MAX_AUTO_LOCK_MINUTES = 24 * 60
NEVER = 0  # auto-lock minutes: only a manual lock (or the screen's) closes the vault


class VaultSettings:
    """The settings kept inside an unlocked vault."""

    def __init__(self, store: VaultStore):
        self.store = store

    @property
    def auto_lock_minutes(self) -> int:
        """Minutes without keyboard or mouse input before the vault locks; 0 = never.

        A value this version cannot read (written by hand, or by a future version)
        falls back to the default rather than to "never"."""
        raw = self.store.get_setting(AUTO_LOCK_KEY)
        try:
            return check_auto_lock_minutes(int(raw)) if raw is not None else DEFAULT_AUTO_LOCK_MINUTES
        except (ValueError, InvalidSetting):
            log.debug("the stored auto-lock time is not one this version reads", exc_info=True)
            return DEFAULT_AUTO_LOCK_MINUTES

    def set_auto_lock_minutes(self, minutes: int) -> int:
        minutes = check_auto_lock_minutes(minutes)
        self.store.set_setting(AUTO_LOCK_KEY, str(minutes))
        return minutes


def check_auto_lock_minutes(minutes) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidSetting("The auto-lock time is a whole number of minutes.")
    if not NEVER <= minutes <= MAX_AUTO_LOCK_MINUTES:
        raise InvalidSetting(f"The auto-lock time is between 1 and {MAX_AUTO_LOCK_MINUTES} minutes, "
                             "or 0 for never.")
    return minutes


# ---- beside the vault -----------------------------------------------------------------

PREFERENCES_NAME = "preferences.json"
THEME_SYSTEM, THEME_LIGHT, THEME_DARK = "system", "light", "dark"
THEMES = (THEME_SYSTEM, THEME_LIGHT, THEME_DARK)


@dataclass(frozen=True)
class Preferences:
    theme: str = THEME_SYSTEM
    check_status_online: bool = False       # verifying fetches status lists (revocation) and issuer keys
    allow_private_addresses: bool = False   # ... also from loopback, link-local, private addresses
    # Where Blockcerts anchors are read, chain name -> URL, for the chains the person changed
    # (the others keep blockcerts_anchor.EXPLORERS).
    explorers: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict:
        return {"theme": self.theme, "check_status_online": self.check_status_online,
                "allow_private_addresses": self.allow_private_addresses, "explorers": dict(self.explorers)}


def check_theme(theme) -> str:
    if theme not in THEMES:
        raise InvalidSetting(f"The theme is one of {', '.join(THEMES)}.")
    return theme


def load_preferences(data_dir: Path) -> Preferences:
    """The preferences of the vault in ``data_dir``; defaults for anything missing or
    unreadable (an appearance preference is never a reason not to start)."""
    try:
        data = json.loads((Path(data_dir) / PREFERENCES_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError):
        log.warning("%s is unreadable: the default preferences are used", PREFERENCES_NAME, exc_info=True)
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    theme = data.get("theme")
    return Preferences(theme=theme if theme in THEMES else THEME_SYSTEM,
                       check_status_online=data.get("check_status_online") is True,
                       allow_private_addresses=data.get("allow_private_addresses") is True,
                       explorers=_saved_explorers(data.get("explorers")))


def _saved_explorers(saved) -> tuple[tuple[str, str], ...]:
    """The explorer choices of a preferences file, each checked again: a file edited by hand
    (or by something else) never points verification at a non-http(s) URL or a chain we
    do not read."""
    out = []
    for chain, url in (saved.items() if isinstance(saved, dict) else ()):
        try:
            out.append((chain, check_explorer(chain, url)))
        except InvalidSetting:
            log.warning("%s: an explorer choice is not usable and is ignored", PREFERENCES_NAME)
    return tuple(out)


def check_explorer(chain, url) -> str:
    """A person's explorer for ``chain`` (one of blockcerts_anchor.EXPLORERS): an http(s)
    URL; InvalidSetting saying what is wrong."""
    from .credentials.blockcerts_anchor import EXPLORERS  # start-up: only explorer settings read it (~5 ms)

    if chain not in EXPLORERS:
        raise InvalidSetting(f"Anchors are read on {', '.join(EXPLORERS)}; not on {str(chain)[:60]!r}.")
    url = str(url).strip() if isinstance(url, str) else ""
    parts = urlsplit(url) if len(url) <= 500 else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidSetting(f"The {chain} explorer is an https:// URL (an esplora API for Bitcoin, a "
                             "JSON-RPC endpoint for Ethereum).")
    return url


def set_explorers(data_dir: Path, choices: dict[str, str]) -> Preferences:
    """Keep the person's explorers (chain -> URL; an empty URL goes back to the default)."""
    kept = tuple((chain, check_explorer(chain, url)) for chain, url in choices.items() if str(url or "").strip())
    preferences = replace(load_preferences(data_dir), explorers=kept)
    save_preferences(data_dir, preferences)
    return preferences


def status_explorers(data_dir: Path) -> dict[str, str]:
    """Where verification reads Blockcerts anchors: the defaults with the person's choices."""
    from .credentials.blockcerts_anchor import EXPLORERS  # start-up: as check_explorer's

    return dict(EXPLORERS) | dict(load_preferences(data_dir).explorers)


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    check_theme(preferences.theme)
    ensure_private_dir(Path(data_dir))
    write_atomic(Path(data_dir) / PREFERENCES_NAME,
                 (json.dumps(preferences.to_json(), indent=2) + "\n").encode())


def set_theme(data_dir: Path, theme: str) -> Preferences:
    preferences = replace(load_preferences(data_dir), theme=check_theme(theme))
    save_preferences(data_dir, preferences)
    return preferences


def set_status_checks(data_dir: Path, *, online: bool, allow_private: bool) -> Preferences:
    preferences = replace(load_preferences(data_dir), check_status_online=bool(online),
                          allow_private_addresses=bool(allow_private))
    save_preferences(data_dir, preferences)
    return preferences


def status_network(data_dir: Path, online: bool | None = None):
    """What verifying may fetch: None (offline, the default) unless ``online`` says so, or,
    when it is None, the "check status lists and issuer keys online" preference. A
    ``vault.net.fetch.NetworkUse``."""
    preferences = load_preferences(data_dir)
    if not (preferences.check_status_online if online is None else online):
        return None
    # start-up: vault.net.fetch loads ssl and http.client (~35 ms); only verifying online needs it
    from .net.fetch import NetworkUse
    return NetworkUse(allow_private=preferences.allow_private_addresses)


# ---- the network (kept by vault.chain.networks) -----------------------------------------

def check_rpc_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidSetting("The node's address is an http:// or https:// URL, "
                             "e.g. http://127.0.0.1:8545.")
    return url


def network_choice(data_dir: Path):
    """The network the vault uses: a ``vault.chain.networks.NetworkProfile``."""
    # start-up: vault.chain.networks (~8 ms with the contract artifacts) is for the network choice only
    from .chain import networks
    return networks.load_profile(data_dir)


def use_embedded_network(data_dir: Path):
    # start-up: vault.chain.networks (~8 ms with the contract artifacts) is for the network choice only
    from .chain import networks
    profile = networks.NetworkProfile()
    networks.save_profile(data_dir, profile)
    return profile


def use_rpc_network(data_dir: Path, url: str, manifest: str):
    """Choose a JSON-RPC node and its deployment manifest (a path, or the name of one
    bundled with the app). The manifest is read and checked now; the node is not
    contacted (that is the chain layer's job, when a chain feature needs it)."""
    # start-up: vault.chain.networks (~8 ms with the contract artifacts) is for the network choice only
    from .chain import networks
    url = check_rpc_url(url)
    manifest = manifest.strip()
    if not manifest:
        raise InvalidSetting("Choose the deployment manifest of that network (a JSON file that "
                             "says where the Blocktrack contracts are).")
    networks.Manifest.load(manifest)  # ChainError("invalid-manifest") with the reason
    profile = networks.NetworkProfile(networks.RPC, url, manifest)
    networks.save_profile(data_dir, profile)
    return profile
