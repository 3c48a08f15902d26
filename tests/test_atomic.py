"""factlint.atomic.replace_file: the cache, the engine snapshot, the baseline and the history's
brief all write through it, so a failed write must leave the old file and no temporary one."""
from __future__ import annotations

import os

import pytest

from factlint.atomic import replace_file


def test_writes_the_bytes_and_creates_the_folder(tmp_path):
    target = tmp_path / "a" / "b" / "entry.pkl"
    assert replace_file(target, b"\x00one") == target
    assert target.read_bytes() == b"\x00one"
    replace_file(target, b"two")
    assert target.read_bytes() == b"two" and os.listdir(target.parent) == ["entry.pkl"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_beside_it(tmp_path, monkeypatch):
    target = tmp_path / "brief.json"
    replace_file(target, b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        replace_file(target, b"new")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["brief.json"]
