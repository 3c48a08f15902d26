"""The reference rules' documentation is tested: each docstring's Example table gives at least one
finding of that rule, and its "Use instead" table none."""
from __future__ import annotations


import pytest

from factlint.pipeline import check_document
from factlint.rules import load_rules
from factlint.config import Settings

RULES = ("reference-mismatch", "attribute-confusion", "undisclosed", "unverified")


def _tables(doc: str) -> tuple[str, str]:
    example = doc.split("## Example", 1)[1].split("## Fix", 1)[0]
    bad, good = example.split("Use instead:", 1)
    return _table(bad), _table(good)


def _table(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip().startswith("|")) + "\n"


@pytest.mark.parametrize("rule_id", RULES)
def test_example_fails_and_use_instead_passes(rule_id, tmp_path):
    bad, good = _tables(load_rules()[rule_id].doc)
    settings = Settings(select=(rule_id,))
    counts = []
    for name, table in (("bad.md", bad), ("good.md", good)):
        path = tmp_path / name
        path.write_text(table, encoding="utf-8")
        result = check_document(path, settings)
        counts.append(len([f for f in result.findings if f.rule == rule_id]))
    assert counts[0] >= 1 and counts[1] == 0, counts
