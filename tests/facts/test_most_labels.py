"""The shape test `_most` stops early, and must answer exactly `share of matching labels >= 0.5`."""
import itertools

from factlint.facts.shapes import _most as _most_labels


def test_same_answer_as_the_share_for_every_small_table():
    for n in range(9):
        for kinds in itertools.product("ymE", repeat=n):     # matching, not matching, empty label
            labels = ["" if k == "E" else k for k in kinds]
            filled = [t for t in labels if t]
            share = sum(t == "y" for t in filled) / len(filled) if filled else 0.0
            assert _most_labels(labels, lambda t: t == "y") == (share >= 0.5), labels


def test_stops_once_the_answer_is_known():
    asked = []
    _most_labels(["m"] * 100, lambda t: asked.append(t) or False)
    assert len(asked) == 51
