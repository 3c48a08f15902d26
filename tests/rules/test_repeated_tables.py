"""Rules on a note that repeats its tables many times: the same findings as on a note stating
each table once, and no step that compares every copy with every other."""
from __future__ import annotations

from factlint.config import Settings
from factlint.pipeline import check_document

CLUSTER = ("### 集群能力\n\n| 配置 | 参数 |\n|------|------|\n| **单节点** | 8 PLOPS |\n"
           "| **64 节点** | 512 PLOPS |\n\n")
ANDROMEDA = ("### Andromeda 集群规格\n\n| 参数 | 规格 |\n|------|------|\n| **节点数** | 16-64 |\n"
             "| **总算力** | 64-256 PLOPS |\n")


def _findings(tmp_path, text: str, rule_id: str):
    note = tmp_path / "note.md"
    note.write_text("# Cerebras\n\n" + text, encoding="utf-8")
    return [f for f in check_document(note, Settings(select=(rule_id,))).findings if f.rule == rule_id]


def test_cluster_table_repeated_names_the_first_copy_once(tmp_path):
    found = _findings(tmp_path, CLUSTER * 40 + ANDROMEDA, "cluster-total")
    assert len(found) == 1
    finding = found[0]
    assert finding.message == ("64-256 PLOPS for 16-64 nodes makes one node 4 PFLOPS, but lines 7 and 8 "
                               "make one node 8 PFLOPS.")
    assert finding.location.line == 2 + 7 * 40 + 6       # title, 40 copies, the 总算力 row


def test_cluster_table_between_copies_is_compared_with_the_earliest(tmp_path):
    found = _findings(tmp_path, CLUSTER * 5 + ANDROMEDA + "\n" + CLUSTER * 5, "cluster-total")
    assert [f.message for f in found] == [
        "64-256 PLOPS for 16-64 nodes makes one node 4 PFLOPS, but lines 7 and 8 make one node 8 PFLOPS."]
