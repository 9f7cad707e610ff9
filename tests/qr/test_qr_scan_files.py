"""Several files handed over together (a drop, a multi-selection): the images of one
code's parts join; anything else is one file at a time."""

import random
from pathlib import Path

import pytest

from vault.qr import render, scan
from vault.qr.codec import Decoded
from vault.qr.errors import InvalidQr
from vault.qr.parts import encode_parts

BIG = (Path(__file__).parents[1] / "fixtures" / "credentials" / "ob30" / "complete.json").read_bytes()


def test_part_images_given_together_join_in_any_order(tmp_path):
    texts = encode_parts(BIG, kind="vc-json")
    assert len(texts) > 1
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"part-{i}.png"
        path.write_bytes(render.png(text))
        paths.append(path)
    random.Random(2).shuffle(paths)
    assert scan.read_presentation_files(paths + paths[:1]) == Decoded("vc-json", BIG)
    # a folder of some parts, and the rest as files
    folder = tmp_path / "more"
    folder.mkdir()
    paths[0].rename(folder / "a.png")
    assert scan.read_presentation_files([folder, *paths[1:]]) == Decoded("vc-json", BIG)


def test_one_path_is_read_as_read_presentation_reads_it(tmp_path):
    text_file = tmp_path / "vp.txt"
    text_file.write_text("\n".join(encode_parts(BIG, kind="vc-json")))
    assert scan.read_presentation_files([text_file]) == Decoded("vc-json", BIG)


def test_several_non_images_missing_files_and_nothing_are_refused(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "b.png").write_bytes(render.png(encode_parts(b'{"a":1}', kind="vp-json")[0]))
    with pytest.raises(InvalidQr, match="one presentation file at a time"):
        scan.read_presentation_files([tmp_path / "a.json", tmp_path / "b.png"])
    with pytest.raises(InvalidQr, match="does not exist"):
        scan.read_presentation_files([tmp_path / "b.png", tmp_path / "gone.png"])
    with pytest.raises(InvalidQr, match="Nothing"):
        scan.read_presentation_files([])
