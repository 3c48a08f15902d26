"""docs/rules.md is generated from the registry and must not go stale (like `cog --check`)."""
from factlint import rule_docs


def test_rule_docs_are_current():
    assert rule_docs.DOCS.read_text(encoding="utf-8") == rule_docs.render(), \
        "docs/rules.md is stale: run `.venv/bin/python -m factlint.rule_docs`"
