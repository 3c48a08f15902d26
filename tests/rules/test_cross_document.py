"""cross-document: the same known entity + attribute stated differently in two notes.

Its cases need two documents, so they run through pipeline.across_documents here rather than
through the one-note YAML runner.
"""
from __future__ import annotations


from factlint.pipeline import across_documents, check_documents
from factlint.config import Settings

SETTINGS = Settings(select=("cross-document", "cross-table"))

WSE3_ZH = """# WSE-3 笔记

| 产品 | 晶体管 | 片上存储 |
|------|--------|----------|
| **WSE-3** | 4.0T | 44GB |
"""
WSE3_EN_SAME = """# Comparison

| Metric | WSE-3 | H100 |
|---|---|---|
| Transistors | 4 trillion | 80B |
| On-chip memory | 44 GB | 50 MB |
"""
WSE3_EN_DIFFERENT = """# Comparison

| Metric | WSE-3 | H100 |
|---|---|---|
| Transistors | 4.6T | 80B |
| On-chip memory | 44 GB | 50 MB |
"""
SHARES_A = """| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
"""
SHARES_B = """| 客户类型 | 占比 |
|---|---|
| 科研机构 | 25% |
"""


def _cross_document(tmp_path, *notes: str):
    paths = []
    for i, text in enumerate(notes):
        path = tmp_path / f"note{i}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    results = check_documents(paths, SETTINGS)
    return [f for f in across_documents(results, SETTINGS) if f.rule == "cross-document"]


def test_transistors_differ_between_two_notes(tmp_path):
    found = _cross_document(tmp_path, WSE3_ZH, WSE3_EN_DIFFERENT)
    assert [(f.location.path.rsplit("/", 1)[-1], f.location.line, f.location.column, f.severity.value)
            for f in found] == [("note1.md", 5, "WSE-3", "warning")]
    finding = found[0]
    assert finding.message.startswith("WSE-3 transistors is 4.6T in ")
    assert "4.0T" in finding.message
    assert [r.line for r in finding.related] == [5]
    assert finding.related[0].path.endswith("note0.md")


def test_agreeing_notes_in_other_words_and_units_give_nothing(tmp_path):
    assert _cross_document(tmp_path, WSE3_ZH, WSE3_EN_SAME) == []


def test_majority_of_notes_decides_which_one_is_reported(tmp_path):
    found = _cross_document(tmp_path, WSE3_EN_DIFFERENT, WSE3_ZH, WSE3_EN_SAME)
    assert [f.location.path.rsplit("/", 1)[-1] for f in found] == ["note0.md"]
    assert "say 4 trillion / 4.0T" in found[0].message or "say 4.0T / 4 trillion" in found[0].message


def test_row_labels_unknown_to_the_vocabulary_are_not_compared(tmp_path):
    # "科研机构" is a share of a different company in each note: not one fact.
    assert _cross_document(tmp_path, SHARES_A, SHARES_B) == []


def test_one_note_is_not_a_corpus(tmp_path):
    assert _cross_document(tmp_path, WSE3_EN_DIFFERENT) == []


def test_the_same_note_twice_agrees(tmp_path):
    assert _cross_document(tmp_path, WSE3_ZH, WSE3_ZH) == []
