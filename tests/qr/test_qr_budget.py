"""Image frame bombs: a few KB of GIF that declares a huge canvas and many tiny frames, a
folder of too many (or too large) images. Each is refused with a clear message after a
bounded amount of decoding; a real sequence of parts still reads, and reading stops as
soon as its parts are all in."""

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from vault.qr import render, scan
from vault.qr.codec import Decoded
from vault.qr.errors import InvalidQr
from vault.qr.frames import MAX_FRAMES, MAX_IMAGE_PIXELS, MAX_TOTAL_PIXELS
from vault.qr.parts import encode_parts

BIG = (Path(__file__).parents[1] / "fixtures" / "credentials" / "ob30" / "complete.json").read_bytes()
ROOT = Path(__file__).parents[2]


def gif_bomb(frames: int, canvas: int) -> bytes:
    """Pillow writes ``frames`` 1×1 frames (alternating, so none is merged); the logical
    screen in the header then claims a ``canvas``×``canvas`` canvas, which Pillow composes
    every frame onto."""
    pixels = []
    for colour in (0, 1):
        pixel = Image.new("P", (1, 1), colour)
        pixel.putpalette([0, 0, 0, 255, 255, 255])
        pixels.append(pixel)
    out = io.BytesIO()
    pixels[0].save(out, "GIF", save_all=True, append_images=[pixels[i % 2] for i in range(1, frames)],
                   duration=10, loop=0)
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", canvas, canvas)
    return bytes(data)


def test_the_bomb_is_what_the_report_says():
    bomb = gif_bomb(250, 7000)
    assert len(bomb) < 12_000
    image = Image.open(io.BytesIO(bomb))
    assert image.size == (7000, 7000) and image.width * image.height <= MAX_IMAGE_PIXELS
    # decoded whole it would be 250 × 49 MP: far past the budget of one reading
    assert 250 * 7000 * 7000 > 40 * MAX_TOTAL_PIXELS


def test_vault_verify_refuses_a_gif_bomb_with_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.gif"
    bomb.write_bytes(gif_bomb(250, 7000))
    # the CLI in a child process, which reports its own peak memory after the command
    code = ("import resource, sys\n"
            "from vault.cli import main\n"
            "code = main(sys.argv[1:])\n"
            "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(code)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), BLOCKTRACK_VAULT_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", code, "verify", str(bomb), "--challenge", "c-1",
                           "--domain", "verifier.example", "--offline"], env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stderr
    assert "INVALID" in done.stdout and "million pixels" in done.stdout and "refused" in done.stdout
    assert "Traceback" not in done.stderr
    peak_kib = int(done.stderr.split("MAXRSS")[1].split()[0])
    # a few composed 49 MP frames at a time (the old reader kept 200 of them: ~10 GB)
    assert peak_kib < 1_200_000, peak_kib


def test_animation_with_too_many_frames_is_refused(tmp_path):
    bomb = gif_bomb(3000, 64)   # tiny canvas: the pixel budget never bites, the frame cap does
    with pytest.raises(InvalidQr, match=f"more than {MAX_FRAMES} images or animation frames"):
        scan.read_presentation(bomb)            # bytes: the Verify page's paste and drop
    path = tmp_path / "bomb.gif"
    path.write_bytes(bomb)
    with pytest.raises(InvalidQr, match="animation frames"):
        scan.read_presentation_files([path, path])


def test_a_later_frame_larger_than_a_photo_is_refused_before_it_is_decoded(tmp_path):
    # TIFF pages each have their own size; Pillow checks only the first one's at open
    small = Image.new("1", (64, 64), 1)
    huge = Image.new("1", (8000, 8000), 1)   # 1 bit per pixel: cheap to write, 64 MP to decode
    path = tmp_path / "pages.tif"
    small.save(path, save_all=True, append_images=[huge], compression="group4")
    with pytest.raises(InvalidQr, match="8000×8000 pixels"):
        scan.read_presentation(path)


def test_folder_with_too_many_images(tmp_path):
    pixel = io.BytesIO()
    Image.new("L", (1, 1)).save(pixel, "PNG")
    for i in range(scan.MAX_FOLDER_IMAGES + 1):
        (tmp_path / f"part-{i:03}.png").write_bytes(pixel.getvalue())
    with pytest.raises(InvalidQr, match=f"more than {scan.MAX_FOLDER_IMAGES} images"):
        scan.read_presentation(tmp_path)
    with pytest.raises(InvalidQr, match="more than"):
        scan.read_presentation_files([tmp_path, tmp_path / "part-000.png"])


def test_folder_of_images_too_large_together(tmp_path):
    # each is a 1×1 GIF on a 7500×7500 canvas (56 MP, under the cap for one image); the
    # fifth would take the folder past the pixel budget of one reading
    one = gif_bomb(1, 7500)
    assert len(one) < 100
    for i in range(6):
        (tmp_path / f"{i}.gif").write_bytes(one)
    with pytest.raises(InvalidQr, match="million pixels"):
        scan.read_presentation(tmp_path)


def test_parts_still_read_and_reading_stops_once_they_are_all_in(tmp_path):
    texts = encode_parts(BIG, kind="vc-json")
    assert 1 < len(texts) < 20
    # The parts, then more frames than one reading may decode: read on, it would be refused.
    frames = [Image.open(io.BytesIO(render.png(text, scale=2))).convert("P") for text in texts]
    assert len({frame.size for frame in frames}) == 1
    sequence = list(reversed(frames)) + [frames[i % 2] for i in range(MAX_FRAMES)]
    gif = io.BytesIO()
    sequence[0].save(gif, "GIF", save_all=True, append_images=sequence[1:], duration=300, loop=0)
    assert scan.read_presentation(gif.getvalue()) == Decoded("vc-json", BIG)
    cut = gif.getvalue()[:len(gif.getvalue()) // 2]   # truncated in the padding: never reached
    assert scan.read_presentation(cut) == Decoded("vc-json", BIG)

    # A folder of the parts and a damaged image after them (sorted last): never opened.
    for i, text in enumerate(texts):
        (tmp_path / f"part-{i:02}.png").write_bytes(render.png(text))
    (tmp_path / "zz-broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    assert scan.read_presentation(tmp_path) == Decoded("vc-json", BIG)
    # without the last part, the reader goes on and meets the damaged file
    (tmp_path / f"part-{len(texts) - 1:02}.png").unlink()
    with pytest.raises(InvalidQr, match="damaged|not an image"):
        scan.read_presentation(tmp_path)
