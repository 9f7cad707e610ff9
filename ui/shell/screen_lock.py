"""Lock the vault when the computer's screen locks, where the platform tells us.

Linux (and the BSDs), over D-Bus with QtDBus, as KeePassXC does:
  session bus  ``ActiveChanged(true)`` of org.freedesktop.ScreenSaver (KDE, and most
               desktops that implement the freedesktop name), org.gnome.ScreenSaver,
               org.cinnamon.ScreenSaver, org.mate.ScreenSaver and org.xfce.ScreenSaver
  system bus   logind's ``Lock`` of this session (``loginctl lock-session``, and what
               desktops send before they blank), and ``PrepareForSleep(true)``

Windows and macOS are not wired yet (they need a native event filter for
WM_WTSSESSION_CHANGE, and NSDistributedNotificationCenter's com.apple.screenIsLocked);
there, the idle lock is the fallback. ``available`` says whether anything is listened to.

The slots can be called directly (tests do): ``handle_active_changed(True)``,
``handle_session_lock()``, ``handle_prepare_for_sleep(True)``.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("blocktrack_vault.ui")

SCREENSAVER_INTERFACES = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver",
                          "org.cinnamon.ScreenSaver", "org.mate.ScreenSaver",
                          "org.xfce.ScreenSaver")
LOGIND_SERVICE = "org.freedesktop.login1"
LOGIND_SESSION = "org.freedesktop.login1.Session"
LOGIND_MANAGER = "org.freedesktop.login1.Manager"
LOGIND_PATH = "/org/freedesktop/login1"


def logind_session_path(session_id: str) -> str:
    """The object path logind gives a session id (systemd's bus_label_escape): every
    character but [A-Za-z0-9] - and a leading digit - becomes _xx (lower-case hex)."""
    out = []
    for i, byte in enumerate(session_id.encode()):
        char = chr(byte)
        if char.isascii() and (char.isalpha() or (char.isdigit() and i > 0)):
            out.append(char)
        else:
            out.append(f"_{byte:02x}")
    return f"{LOGIND_PATH}/session/" + ("".join(out) or "_")


class ScreenLockMonitor(QObject):
    """Emits ``screen_locked(reason)`` when the platform reports a locked screen."""

    screen_locked = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.listening: list[str] = []   # what start() connected to, for the record
        self._buses = []

    @property
    def available(self) -> bool:
        return bool(self.listening)

    def start(self, session_bus=None, system_bus=None) -> list[str]:
        """Connect to the buses (the real ones unless given, as tests do). Quiet when
        there is no D-Bus: the idle lock still works."""
        if self.listening or not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
            return self.listening
        try:
            from PySide6.QtCore import SLOT
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a PySide6 build without QtDBus
            log.info("QtDBus is not available: the vault does not lock with the screen")
            return self.listening
        session = session_bus if session_bus is not None else QDBusConnection.sessionBus()
        system = system_bus if system_bus is not None else QDBusConnection.systemBus()
        if session.isConnected():
            for interface in SCREENSAVER_INTERFACES:
                # Any sender, any path: KDE emits on /ScreenSaver and /org/freedesktop/ScreenSaver.
                if session.connect("", "", interface, "ActiveChanged", self,
                                   SLOT("handle_active_changed(bool)")):
                    self.listening.append(f"session:{interface}.ActiveChanged")
            self._buses.append(session)
        if system.isConnected():
            session_id = os.environ.get("XDG_SESSION_ID", "")
            if session_id and system.connect(LOGIND_SERVICE, logind_session_path(session_id),
                                             LOGIND_SESSION, "Lock", self,
                                             SLOT("handle_session_lock()")):
                self.listening.append(f"system:{LOGIND_SESSION}.Lock")
            if system.connect(LOGIND_SERVICE, LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep", self,
                              SLOT("handle_prepare_for_sleep(bool)")):
                self.listening.append(f"system:{LOGIND_MANAGER}.PrepareForSleep")
            self._buses.append(system)
        log.debug("screen lock: listening to %s", self.listening or "nothing")
        return self.listening

    @Slot(bool)
    def handle_active_changed(self, active: bool) -> None:
        if active:
            self.screen_locked.emit("the screen was locked")

    @Slot()
    def handle_session_lock(self) -> None:
        self.screen_locked.emit("the screen was locked")

    @Slot(bool)
    def handle_prepare_for_sleep(self, starting: bool) -> None:
        if starting:
            self.screen_locked.emit("the computer went to sleep")
