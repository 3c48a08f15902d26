"""A note that repeats its tables many times: findings keep at most MAX_RELATED related cells
(the nearest), say how many were left off, and system-chip looks up each distinct chip figure once."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from factlint.findings import MAX_RELATED, Location, nearest
from factlint.pipeline import check_document
from factlint.config import Settings

CHIP = "| 产品 | 片上存储 |\n|---|---|\n| WSE-2 | 40GB |\n\n"
SYSTEM = "| 系统 | 芯片 | 内存 |\n|---|---|---|\n| CS-2 | WSE-2 | 48GB |\n\n"
FIRST_NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"


def _check(tmp_path, text, rule_id):
    note = tmp_path / "note.md"
    note.write_text(text, encoding="utf-8")
    settings = Settings(select=(rule_id,))
    return [f for f in check_document(note, settings).findings if f.rule == rule_id]


def test_nearest_keeps_the_closest_in_their_order():
    locs = [Location("n.md", line) for line in range(1, 101)]
    kept, left_off = nearest(locs, 50, limit=4)
    assert [l.line for l in kept] == [48, 49, 50, 51] and left_off == 96
    assert nearest(locs[:3], 1) == (locs[:3], 0)


def test_system_chip_related_cells_are_capped(tmp_path):
    found = _check(tmp_path, CHIP * 60 + SYSTEM, "system-chip")
    assert len(found) == 1
    finding = found[0]
    assert len(finding.related) <= MAX_RELATED + 1           # + the chip-column cell
    assert "and 59 more cells" in finding.evidence           # one distinct figure, stated 60 times
    assert finding.evidence.count("× 40GB") == 1


@pytest.mark.parametrize("copies", [60])
def test_first_note_repeated_keeps_related_bounded(tmp_path, copies):
    note = tmp_path / "big.md"
    note.write_text(FIRST_NOTE.read_text(encoding="utf-8") * copies, encoding="utf-8")
    findings = check_document(note).findings
    assert findings
    for f in findings:
        if f.rule in ("system-chip", "cross-table", "cluster-total"):
            assert len(f.related) <= MAX_RELATED + 1, (f.rule, f.location.line, len(f.related))
            assert len(f.evidence) < 2000, (f.rule, f.location.line, len(f.evidence))


def test_cross_table_names_only_the_nearest_agreeing_cells(tmp_path):
    table = "| 产品 | 晶体管 |\n|---|---|\n| WSE-3 | 4.0T |\n\n"
    found = _check(tmp_path, table * 30 + "| 指标 | WSE-3 |\n|---|---|\n| 晶体管 | 4.6T |\n", "cross-table")
    assert len(found) == 1
    f = found[0]
    assert len(f.related) == MAX_RELATED and "and 10 more cells" in f.message and "and 10 more cells" in f.evidence


def test_cluster_total_names_only_the_nearest_agreeing_tables(tmp_path):
    one_node = "| 系统 | 节点数 | 算力 |\n|---|---|---|\n| CS-3 | 1 | 8 PFLOPS |\n\n"
    cs2 = "| 系统 | 节点数 | 算力 |\n|---|---|---|\n| CS-2 | 16 | 512 PFLOPS |\n\n"
    generic = "| 规模 | 算力 |\n|---|---|\n| 16 节点 | 512 PFLOPS |\n\n"
    found = _check(tmp_path, one_node + cs2 * 9 + generic, "cluster-total")
    assert len(found) == 1
    evidence = found[0].evidence
    # nine CS-2 tables agree with the generic one: the five nearest the generic one (line 43) are named
    assert "and 4 more tables agree" in evidence
    named = [int(m) for m in re.findall(r"line (\d+), makes one node", evidence)]
    assert named == [23, 27, 31, 35, 39]
