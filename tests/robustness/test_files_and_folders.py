"""The files themselves (#14): odd names, unreadable files and folders, guessed encodings, deep
nesting. Each is checked, or reported, and the rest of the run goes on.

The tests run as root, where `chmod 000` does not stop a read, so unreadability is made with
monkeypatch at the system call the code makes (os.scandir for os.walk, os.listdir, os.stat,
Path.read_bytes): the tests run, and mean the same, under any user.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from robustness_support import SAMPLE_NOTE, refuse_reads, two_folders
from factlint.emit import render
from factlint.gate import run_check

FORMATS = ("text", "json", "sarif", "junit", "github", "html")
ODD_NAME = b"x_\xff\xfe.md"                       # not valid UTF-8
SHOWN = "x_\\xff\\xfe.md"                         # how every output names it


def _projection(outcome, name: str):
    return sorted((f.rule, f.location.line, f.location.column, f.message)
                  for f in outcome.findings if Path(f.location.path).name == name)


def _messages(outcome, rule: str, name: str) -> list[str]:
    return [f.message for f in outcome.findings if f.rule == rule and Path(f.location.path).name == name]


# ---- a file name that is not UTF-8 ------------------------------------------------------------

@pytest.fixture(scope="module")
def odd_name_run(tmp_path_factory):
    """The sample note under a name that is not UTF-8, and under a plain name in another run."""
    odd, plain = tmp_path_factory.mktemp("odd"), tmp_path_factory.mktemp("plain")
    shutil.copy(SAMPLE_NOTE, os.path.join(os.fsencode(odd), ODD_NAME))
    shutil.copy(SAMPLE_NOTE, plain / "plain.md")
    return run_check([odd], None, jobs=1, keep_documents=True), run_check([plain], None, jobs=1)


def test_a_note_named_in_invalid_utf8_is_checked_like_any_other(odd_name_run):
    odd, plain = odd_name_run
    [result] = odd.results
    assert result.error is None and result.path.endswith(SHOWN)
    assert result.document.path == result.path and {c["path"] for c in result.rows} == {result.path}
    assert not [f for f in odd.findings if f.rule == "claims-contract"]
    assert [p[:1] + p[2:] for p in _projection(odd, SHOWN)] == [p[:1] + p[2:] for p in _projection(plain, "plain.md")]
    assert odd.findings and all(f.location.path == result.path for f in odd.findings)


# How each format writes the name: as is, or JSON-escaped. SARIF is left out of the name check:
# its URI turns every backslash into a slash (a Windows separator), which emit/sarif.py owns.
NAMED_AS = {"text": SHOWN, "junit": SHOWN, "github": SHOWN, "html": SHOWN, "json": json.dumps(SHOWN)[1:-1]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_it_with_its_bytes_escaped_in_valid_utf8(odd_name_run, fmt):
    text = render(fmt, odd_name_run[0], fail_on="error")
    text.encode("utf-8")                         # no lone surrogate: the output is valid UTF-8
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt in NAMED_AS:
        assert NAMED_AS[fmt] in text


def test_json_output_of_the_gate_names_the_path_exactly(odd_name_run):
    data = json.loads(render("json", odd_name_run[0], fail_on="error"))
    paths = {f["location"]["path"] for f in data["findings"]}
    assert len(paths) == 1 and paths.pop().endswith(SHOWN)


def test_extract_reads_its_claims(tmp_path):
    from factlint.normalise.vocab import load_vocabulary
    from factlint.pipeline import extract_document

    shutil.copy(SAMPLE_NOTE, os.path.join(os.fsencode(tmp_path), ODD_NAME))
    [path] = [tmp_path / name for name in os.listdir(tmp_path)]
    result = extract_document(path, load_vocabulary())
    assert result.error is None and len(result.claims) > 50
    assert set(result.claims["path"]) == {str(tmp_path / SHOWN)}


def test_the_cache_keeps_and_finds_a_result_under_such_a_name(tmp_path):
    from factlint.cache import check_documents_cached

    shutil.copy(SAMPLE_NOTE, os.path.join(os.fsencode(tmp_path), ODD_NAME))
    paths = [tmp_path / name for name in os.listdir(tmp_path)]
    first = check_documents_cached(paths, cache_root=tmp_path / ".cache")
    second = check_documents_cached(paths, cache_root=tmp_path / ".cache")
    assert (len(first.stats.misses), len(second.stats.hits)) == (1, 1)
    assert second.results[0].path.endswith(SHOWN)


# ---- unreadable folders and files --------------------------------------------------------------

def test_an_unreadable_folder_is_an_error_and_the_others_are_checked(tmp_path, monkeypatch):
    root = two_folders(tmp_path)
    alone = run_check([root / "open"], None, jobs=1)
    refuse_reads(monkeypatch, "locked")
    outcome = run_check([root], None, jobs=1)
    [message] = _messages(outcome, "unreadable-path", "locked")
    assert message == (f"cannot read folder {root / 'locked'}: permission denied; the run is "
                       "incomplete (no note in it was checked)")
    assert [f.severity.value for f in outcome.findings if f.rule == "unreadable-path"] == ["error"]
    assert _projection(outcome, "note.md") == _projection(alone, "note.md")
    for fmt in FORMATS:
        assert "locked" in render(fmt, outcome, fail_on="error")


def test_a_folder_named_on_the_command_line_that_cannot_be_listed_fails_the_gate(tmp_path, monkeypatch):
    root = two_folders(tmp_path)
    refuse_reads(monkeypatch, "locked")
    outcome = run_check([root / "locked"], None, jobs=1)
    assert [r.path for r in outcome.results] == [str(root / "locked")]
    assert [f.rule for f in outcome.findings] == ["unreadable-path"]


def test_an_unreadable_file_named_on_the_command_line_is_an_error_and_the_next_is_checked(tmp_path, monkeypatch):
    """The file's folder refuses even a stat (which made the whole run a usage error, exit 2)."""
    root = two_folders(tmp_path)
    alone = run_check([root / "open" / "note.md"], None, jobs=1)
    refuse_reads(monkeypatch, "locked")
    outcome = run_check([root / "locked" / "note.md", root / "open" / "note.md"], None, jobs=1)
    [message] = [f.message for f in outcome.findings if f.rule == "unreadable-path"]
    assert message == (f"cannot read {root / 'locked' / 'note.md'}: permission denied; the run is "
                       "incomplete (this note was not checked)")
    opened = [f for f in outcome.findings if f.location.path.endswith("open/note.md")]
    assert sorted((f.rule, f.location.line, f.message) for f in opened) == \
        sorted((f.rule, f.location.line, f.message) for f in alone.findings)


def test_a_dangling_link_stays_malformed_input(tmp_path):
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    outcome = run_check([tmp_path], None, jobs=1)
    assert [f.rule for f in outcome.findings] == ["malformed-input"]


# ---- tables nested deep in quotes and lists ----------------------------------------------------

def _quoted(depth: int, lines: list[str]) -> str:
    return "".join(">" * depth + " " + line + "\n" for line in lines)


def _listed(depth: int, lines: list[str]) -> str:
    items = "".join("  " * level + "- item\n" for level in range(depth))
    return items + "".join("  " * depth + line + "\n" for line in lines)


WRONG_TOTAL = ["| Node | GPUs |", "|---|---|", "| a | 8 |", "| b | 8 |", "| Total | 24 |"]


@pytest.mark.parametrize("note", [_quoted(20, WRONG_TOTAL), _listed(20, WRONG_TOTAL),
                                  _quoted(10, _listed(10, WRONG_TOTAL).splitlines())],
                         ids=["20-quotes", "20-lists", "10-quotes-10-lists"])
def test_a_table_twenty_levels_deep_is_read_and_checked(tmp_path, note):
    (tmp_path / "deep.md").write_text(note, encoding="utf-8")
    outcome = run_check([tmp_path], None, jobs=1)
    assert [f.rule for f in outcome.findings] == ["sum-total"]


def test_a_table_deeper_than_markdown_reads_is_reported(tmp_path):
    (tmp_path / "deeper.md").write_text("# Deep\n\n" + _quoted(70, WRONG_TOTAL), encoding="utf-8")
    outcome = run_check([tmp_path], None, jobs=1)
    assert _messages(outcome, "malformed-input", "deeper.md") == [
        "lines 3-7 are nested 64 or more levels deep in quotes and lists, deeper than Markdown "
        "reads: the table at line 3 is not checked; nest it less"]


def test_deep_prose_without_a_table_says_nothing(tmp_path):
    (tmp_path / "prose.md").write_text(_quoted(70, ["a quote", "8 PFLOPS | in prose"]), encoding="utf-8")
    assert run_check([tmp_path], None, jobs=1).findings == []


# ---- encodings that are a guess ----------------------------------------------------------------

LATIN1_NOTE = "# Prices\n\n| Item | Price |\n|---|---|\n| Café crème | £4.50 |\n| Tea | £2.10 |\n"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_latin1_note_reads_its_pound_signs_and_says_it_guessed(tmp_path, encoding):
    (tmp_path / "prices.md").write_bytes(LATIN1_NOTE.encode(encoding))
    outcome = run_check([tmp_path], None, jobs=1, keep_documents=True)
    [doc] = [r.document for r in outcome.results]
    assert doc.text == LATIN1_NOTE and doc.encoding == "cp1252"        # not cp1250's `Ł4.50`
    [finding] = outcome.findings
    assert (finding.rule, finding.severity.value, finding.location.line) == ("encoding-guess", "info", 1)
    assert "read as cp1252, a guess" in finding.message and finding.evidence == "read as: é è £"


def test_invalid_utf8_in_an_english_note_is_a_guess_too(tmp_path):
    (tmp_path / "broken.md").write_bytes(b"# Note\n\n| Chip | Power |\n|---|---|\n| A | 5 \xb1 1 W |\n")
    outcome = run_check([tmp_path], None, jobs=1, keep_documents=True)
    assert outcome.results[0].document.tables[0].rows[0].cells[1].text == "5 ± 1 W"
    assert [f.rule for f in outcome.findings] == ["encoding-guess"]


def test_utf8_and_marked_notes_are_no_guess(tmp_path):
    for name, encoding in (("utf8.md", "utf-8"), ("bom.md", "utf-8-sig"), ("wide.md", "utf-16")):
        (tmp_path / name).write_bytes(LATIN1_NOTE.encode(encoding))
    outcome = run_check([tmp_path], None, jobs=1)
    assert outcome.findings == []
