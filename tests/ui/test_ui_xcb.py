"""The app as a user starts it: `blocktrack-vault` on the real X11 platform (xcb, not
offscreen), under an Xvfb of the test's own.

Qt aborts at start when a library of its xcb plugin is missing, so this is what proves the
system packages of README.md's apt line are enough: CI installs exactly that line. The
window is found, photographed and closed from outside, through the X server: the picture is
what the X screen shows, the close is the WM_DELETE_WINDOW request a window manager sends
for the title bar's close button, and Ctrl+Q is typed as keyboard input (XTEST).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

XVFB = shutil.which("Xvfb")
if XVFB is None:
    pytest.skip("Xvfb is not installed (apt-get install xvfb xauth, see README.md): the app's start "
                "on the real X11 platform is not checked", allow_module_level=True)
pytest.importorskip("Xlib", reason="python-xlib (a test dependency) is missing: pip install -e '.[test]'")

from PIL import Image, ImageStat  # noqa: E402
from Xlib import X, XK  # noqa: E402
from Xlib import display as xdisplay  # noqa: E402
from Xlib.ext import damage, xtest  # noqa: E402
from Xlib.protocol import event as xevent  # noqa: E402

# The installed gui-script, or (BLOCKTRACK_APP) a built bundle's executable: packaging/README.md.
APP = Path(os.environ.get("BLOCKTRACK_APP") or Path(sys.executable).parent / "blocktrack-vault")
TITLE = "Blocktrack Vault"
START_SECONDS = 90   # a cold start (PySide6, fonts) on a loaded 2-core machine
QUIT_SECONDS = 30


@pytest.fixture
def x_server(tmp_path):
    """An Xvfb on a display number it picks itself (-displayfd); yields ":N"."""
    read_fd, write_fd = os.pipe()
    log_path = tmp_path / "xvfb.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([XVFB, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
                                   "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=log, stderr=log)
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 30)   # it writes the number once it accepts clients
        number = os.read(read_fd, 32).decode().strip() if ready else ""
        assert number.isdigit(), f"Xvfb did not start: {log_path.read_text(errors='replace')}"
        yield f":{number}"
    finally:
        os.close(read_fd)
        server.terminate()
        server.wait(10)


class App:
    """`blocktrack-vault` on ``display`` with its own data folder; its output is kept."""

    def __init__(self, display: str, home: Path):
        assert APP.is_file(), f"{APP} is missing: pip install -e . installs it"
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORMTHEME")}
        env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display, BLOCKTRACK_VAULT_HOME=str(home))
        self.process = subprocess.Popen([str(APP)], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        self.output = b""

    def read_output(self) -> bool:
        """Take what it printed; False once it has ended (its output closed)."""
        chunk = os.read(self.process.stdout.fileno(), 65536)
        self.output += chunk
        return bool(chunk)

    def text(self) -> str:
        return self.output.decode(errors="replace")

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            if not self.read_output():
                break
        try:
            return self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app did not quit within {timeout} s: {self.text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self.process.stdout.close()


def missing_libraries() -> str:
    """What the dynamic linker cannot find for the xcb plugin: Qt's own message names only
    the first library it thinks of (libxcb-cursor0)."""
    import PySide6
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    return "; ".join(sorted({line.strip() for line in out.splitlines() if "not found" in line}))


class Screen:
    """A client of the X server: waits for the app's window, photographs it, closes it."""

    def __init__(self, name: str):
        self.display = xdisplay.Display(name)
        self.root = self.display.screen().root
        # Listening before the app starts: no map of its window can be missed.
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.display.damage_query_version()
        self.damage_notify = self.display.query_extension("DAMAGE").first_event + damage.DamageNotifyCode
        self.display.sync()

    def close(self) -> None:
        self.display.close()

    def wait_for_painted_window(self, app: App):
        """The app's top-level window, once mapped and painted: (window, its picture)."""
        window = damage_id = None
        deadline = time.monotonic() + START_SECONDS
        while True:
            while self.display.pending_events():
                event = self.display.next_event()
                if event.type == X.MapNotify and window is None and self._is_main(event.window):
                    window = event.window
                    # Every drawing into it from now on is reported (DAMAGE), so its picture
                    # is taken once Qt has painted, without polling the screen; and once now,
                    # in case Qt was quicker.
                    damage_id = window.damage_create(damage.DamageReportNonEmpty)
                elif event.type == self.damage_notify and event.damage == damage_id:
                    self.display.damage_subtract(damage_id)
                else:
                    continue
                picture = self.picture(window)
                if not blank(picture):
                    self.display.damage_destroy(damage_id)
                    return window, picture
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no painted {TITLE!r} window within {START_SECONDS} s: {app.text()}"
            ready, _, _ = select.select([self.display, app.process.stdout], [], [], remaining)
            if app.process.stdout in ready and not app.read_output():
                code = app.process.wait(10)
                pytest.fail(f"the app ended ({code}) before its window showed: {app.text()}\n"
                            f"missing libraries: {missing_libraries() or 'none'}")

    def wait_for_change(self, window, before: Image.Image, timeout: float) -> Image.Image:
        """The window's picture once a fifth of it differs from ``before`` (a new page),
        woken by the X server's reports of drawing (DAMAGE), not by polling."""
        from PIL import ImageChops

        damage_id = window.damage_create(damage.DamageReportNonEmpty)
        deadline = time.monotonic() + timeout
        try:
            while True:
                picture = self.picture(window)
                diff = ImageChops.difference(picture.convert("L"), before.convert("L")).point(lambda v: v > 16 and 255)
                if sum(diff.histogram()[255:]) > picture.width * picture.height // 5:
                    return picture
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"the window did not change within {timeout} s"
                select.select([self.display], [], [], remaining)
                while self.display.pending_events():
                    event = self.display.next_event()
                    if event.type == self.damage_notify and event.damage == damage_id:
                        self.display.damage_subtract(damage_id)
        finally:
            self.display.damage_destroy(damage_id)

    def _is_main(self, window) -> bool:
        geometry = window.get_geometry()
        return window.get_wm_name() == TITLE and geometry.width > 1 and geometry.height > 1

    def picture(self, window) -> Image.Image:
        """What the X screen shows where the window is."""
        geometry = window.get_geometry()
        origin = self.root.translate_coords(window, 0, 0)
        raw = self.root.get_image(origin.x, origin.y, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF)
        return Image.frombytes("RGB", (geometry.width, geometry.height), raw.data, "raw", "BGRX")

    def request_close(self, window) -> None:
        """What a window manager does for the close button: WM_DELETE_WINDOW, which the
        window must have said it accepts."""
        protocols, delete = self.display.get_atom("WM_PROTOCOLS"), self.display.get_atom("WM_DELETE_WINDOW")
        assert delete in window.get_wm_protocols()
        message = xevent.ClientMessage(window=window, client_type=protocols,
                                       data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        window.send_event(message)
        self.display.sync()

    def type_ctrl_q(self, window) -> None:
        window.set_input_focus(X.RevertToParent, X.CurrentTime)   # no window manager gives it focus
        ctrl, q = (self.display.keysym_to_keycode(XK.string_to_keysym(name)) for name in ("Control_L", "q"))
        for kind, key in ((X.KeyPress, ctrl), (X.KeyPress, q), (X.KeyRelease, q), (X.KeyRelease, ctrl)):
            xtest.fake_input(self.display, kind, key)
        self.display.sync()


def blank(picture: Image.Image) -> bool:
    """One flat colour, or nearly (a window not painted yet, or painted black)."""
    colours = picture.getcolors(maxcolors=4096)
    return ImageStat.Stat(picture.convert("L")).stddev[0] < 5 or (colours is not None and len(colours) < 16)


@pytest.fixture
def screen(x_server):
    client = Screen(x_server)
    yield client
    client.close()


@pytest.fixture
def launch(x_server, screen):
    """Starts the app, after the X client listens (``screen``); stops it after the test."""
    apps = []

    def start(home: Path) -> App:
        apps.append(App(x_server, home))
        return apps[-1]

    yield start
    for app in apps:   # never leave the app running, whatever the test did
        app.stop()


def test_start_window_shows_on_xcb_and_closes_through_the_close_request(screen, launch, tmp_path):
    app = launch(tmp_path / "new vault")   # no vault yet: the start window
    window, picture = screen.wait_for_painted_window(app)
    picture.save(tmp_path / "xcb-start.png")
    assert picture.size == (1000, 680)   # MainWindow's size, not a 1×1 stand-in
    assert not blank(picture)
    screen.request_close(window)
    assert app.wait(QUIT_SECONDS) == 0, app.text()
    assert "qt.qpa" not in app.text(), app.text()   # no platform plugin complaint on the way
    assert not (tmp_path / "new vault").exists()    # looking at the start window creates nothing


def test_unlock_window_shows_on_xcb_and_ctrl_q_quits(screen, launch, config, existing_vault, tmp_path):
    app = launch(config.data_dir)   # a vault: the unlock window, the passphrase field focused
    window, picture = screen.wait_for_painted_window(app)
    picture.save(tmp_path / "xcb-unlock.png")
    assert not blank(picture)
    screen.type_ctrl_q(window)
    assert app.wait(QUIT_SECONDS) == 0, app.text()
