"""JSON and SARIF are written piece by piece (factlint.emit.json.dumps_chunks); the pieces must
join to exactly what json.dumps gives for the same payload, and the CLI must write them whole."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from factlint.emit.json import Lazy, dumps_chunks

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | \
    st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=8)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) |
                      st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


def _lazy_copy(value, draw_lazy):
    """The same payload with some of its lists (at any depth) turned into Lazy generators."""
    if isinstance(value, dict):
        return {k: _lazy_copy(v, draw_lazy) for k, v in value.items()}
    if isinstance(value, list):
        items = [_lazy_copy(v, draw_lazy) for v in value]
        return Lazy(iter(items)) if draw_lazy() else items
    return value


@settings(max_examples=200, deadline=None)
@given(payload=values, choices=st.lists(st.booleans(), min_size=1, max_size=50))
def test_chunks_join_to_exactly_json_dumps(payload, choices):
    flips = iter(choices * 50)
    lazy = _lazy_copy(payload, lambda: next(flips, False))
    expected = json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n"
    assert "".join(dumps_chunks(lazy)) == expected


def test_a_lazy_list_is_made_only_while_it_is_written():
    made = []

    def items():
        for i in range(3):
            made.append(i)
            yield {"n": i}

    chunks = dumps_chunks({"findings": Lazy(items()), "version": 1})
    assert made == []
    first = next(chunks)
    assert made == [] and first.startswith("{")
    text = first + "".join(chunks)
    assert made == [0, 1, 2] and json.loads(text) == {"findings": [{"n": 0}, {"n": 1}, {"n": 2}], "version": 1}


def test_the_cli_writes_a_streamed_report_whole_and_leaves_no_partial_file(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from factlint.cli import app

    note = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
    out = tmp_path / "out" / "report.sarif"
    result = CliRunner().invoke(app, ["check", str(note), "-f", "sarif", "-o", str(out)])
    assert result.exit_code == 1, result.output
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"]
    assert [p.name for p in out.parent.iterdir()] == ["report.sarif"]


def test_an_output_path_that_is_no_regular_file_is_written_through(tmp_path):
    """/dev/stdout, /dev/null, a symlink: written as given, never replaced by a regular file."""
    import os
    from pathlib import Path

    from typer.testing import CliRunner

    from factlint.cli import app

    note = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    device = tmp_path / "null"
    os.symlink(os.devnull, device)                  # a device reached by name
    for out in (link, device, Path(os.devnull)):
        result = CliRunner().invoke(app, ["check", str(note), "-f", "json", "-o", str(out)])
        assert result.exit_code == 1, result.output
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["findings"]
    assert Path(os.devnull).is_char_device() and not Path(os.devnull + ".partial").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "null", "real.json"]


EDGES = [2.0, 1e16, 9.99e15, 1e-4, 1e-05, 3e-07, 0.1, -0.0, float("nan"), float("inf"), -float("inf"),
         10 ** 20, {1: "a"}, "ü中\u2028\x00\x1f\x7f\"\\", (1, 2), {"b": 1, "a": [1, {"z": [1e-9, 0.5]}]}, [], {}]


def test_orjson_and_the_standard_library_write_the_same_bytes(monkeypatch):
    # orjson writes `1e-05` as `0.00001` and infinities as null; those payloads go to json.
    import numpy as np

    import factlint.jsontext as emit_json

    assert emit_json.orjson is not None, "the development environment has orjson (the flow extra)"
    payload = {"edges": EDGES, "numpy": [np.float64(2.5), np.float64(1e-7)], "findings": Lazy(iter(EDGES))}
    expected = json.dumps({**payload, "findings": EDGES}, ensure_ascii=False, sort_keys=True, indent=2,
                          default=str) + "\n"
    fast = "".join(dumps_chunks({**payload, "findings": Lazy(iter(EDGES))}))
    monkeypatch.setattr(emit_json, "orjson", None)
    plain = "".join(dumps_chunks({**payload, "findings": Lazy(iter(EDGES))}))
    assert fast == plain == expected


def test_published_json_is_written_by_orjson_as_the_standard_library_writes_it(monkeypatch):
    """A published version's findings.json and manifest keep their keys in insertion order."""
    import numpy as np

    import factlint.jsontext as jsontext

    payload = {"z": EDGES, "a": {"numpy": np.int64(3), "b": 1, "a": [np.float64(2.5), (1, "x")]},
               "flops": [2.046e18, -3.2e16, 1e16, 1.7976931348623157e308, 1.23e22, 1e-4, -0.0]}
    expected = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    fast = jsontext.indented(payload)
    monkeypatch.setattr(jsontext, "orjson", None)
    assert fast == jsontext.indented(payload) == expected
    assert fast.index('"z"') < fast.index('"a"')
    flops = {"flops": payload["flops"]}
    assert jsontext._orjson_writes_it_alike(flops)          # large figures go to orjson
    monkeypatch.undo()
    assert jsontext.indented(flops) == json.dumps(flops, ensure_ascii=False, indent=2, default=str)
