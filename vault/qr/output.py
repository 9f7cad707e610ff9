"""Write QR codes to files: one code to OUT (.png or .svg), a sequence of parts into the
folder OUT (one image per part, a printable sheet and an animation)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..store.atomic import write_atomic
from . import render


def write_codes(texts: Sequence[str], out: Path) -> list[Path]:
    out = Path(out)
    if len(texts) == 1:
        if out.suffix.lower() == ".svg":
            write_atomic(out, render.svg(texts[0]).encode())
        else:
            write_atomic(out, render.png(texts[0]))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    count = len(texts)
    written = []
    for index, text in enumerate(texts, start=1):
        path = out / f"part-{index:02d}-of-{count:02d}.png"
        write_atomic(path, render.png(text))
        written.append(path)
    for name, data in (("sheet.png", render.sheet(texts, fmt="png")),
                       ("sheet.svg", render.sheet(texts, fmt="svg").encode()),
                       ("animated.gif", render.animated_gif(texts))):
        write_atomic(out / name, data)
        written.append(out / name)
    return written
