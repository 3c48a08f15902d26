"""The unit, format and trend rules never raise, whatever the tables hold (hypothesis)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlint.facts import read_note
from factlint.ingest.markdown import parse_markdown
from factlint.normalise.vocab import load_vocabulary
from factlint.rules import load_rules
from factlint.rules._context import RuleContext

RULES = ("unit-spelling", "dimension", "range-order", "unparsed-number", "status-contradiction",
         "forecast", "generation-trend")
HEADERS = ["产品", "Chip", "制程", "Process", "晶体管", "算力 (PLOPS)", "TDP (KW)", "Memory", "带宽",
           "时间", "Year", "芯片", "支持程度", "Status", "说明", "Notes", "占比", "差距", ""]
FRAGMENTS = ["WSE-3", "CS-2", "H100", "Foo-1", "8", "4.0T", "5nm", "64-16", "2 PB - 500 TB",
             "PLOPS", "TFOLPS", "KW", "Gb", "mb", "Tflops", "GB/s", "kWh", "4O%", "1,2,3", "5..6",
             "l20", "✅", "❌", "Yes", "No", "研发中", "coming soon", "not yet on", "2026", "2026E",
             "预测", "2024-25", "$3M-$2M", "约", "万", "亿", "x", "%", "|", "\\|", "**", " ", "—"]

cell = st.lists(st.sampled_from(FRAGMENTS), max_size=4).map(" ".join)
table = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5),
                  st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=5))


def _note(date: str, heading: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [f"> {date}", "", f"## {heading}", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(date=st.sampled_from(["2026-02-03", "2025", "2024-06", "no date"]),
       heading=st.sampled_from(["产品演进", "Roadmap", "营收预测", "Specs"]), tables=st.lists(table, min_size=1, max_size=3))
def test_rules_never_raise(date, heading, tables):
    text = "\n".join(_note(date, heading, h, rows) for h, rows in tables)
    doc = parse_markdown(text, "note.md")
    vocab = load_vocabulary()
    facts = read_note(doc, vocab)
    for rule_id in RULES:
        spec = load_rules()[rule_id]
        ctx = RuleContext(rule_id, spec.severity, doc, facts.claims, vocab, None, {}, facts)
        for finding in spec.func(doc, ctx):
            assert finding.rule == rule_id and finding.location.line >= 1
            if finding.fix is not None:
                assert finding.fix.replacement != finding.fix.original
