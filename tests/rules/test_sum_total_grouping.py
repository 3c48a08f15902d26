"""sum-total reports a share column that does not add up once, with every part related."""
from __future__ import annotations


import pytest

from factlint.pipeline import check_document
from factlint.config import Settings

NOTE = """| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
| 科技巨头 | 30% |
| 药企 | 25% |
| 政府 | 10% |
{total}"""


@pytest.mark.parametrize("total,line", [("", 6), ("| 合计 | 100% |\n", 7)], ids=["last-share", "total-row"])
def test_one_finding_per_share_column_with_all_parts_related(tmp_path, total, line):
    note = tmp_path / "note.md"
    note.write_text(NOTE.format(total=total), encoding="utf-8")
    settings = Settings(select=("sum-total",))
    found = [f for f in check_document(note, settings).findings if f.rule == "sum-total"]
    assert len(found) == 1, [f.message for f in found]
    finding = found[0]
    assert finding.location.line == line
    lines = {finding.location.line} | {loc.line for loc in finding.related}
    assert {3, 4, 5, 6} <= lines
    assert "105%" in finding.evidence
