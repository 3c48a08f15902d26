"""Synthetic notes for benchmarks and recall/precision: `python benchmarks/generate.py OUT -n 500`.

Each note is assembled from the section templates in `sections.py`: a title block (front
matter or a heading with a dated byline), chapters of tables and prose in a shuffled order, in
Chinese or English, with table styles that vary (bold labels, outer pipes, delimiter rows).
About one note in four is clean; the others carry one to three errors, each of a different
rule's kind. Beside every `NAME.md` the generator writes `NAME.expected.json`: the findings
(rule, line, column) that a correct checker must report and nothing else.

The same seed always gives the same corpus, byte for byte.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import sections as S          # noqa: E402  (run as a script)
else:
    from benchmarks import sections as S

NOTES_PER_FOLDER = 250
CHAPTERS_ZH = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


@dataclass
class Note:
    name: str                               # relative path, e.g. "c003/note-00750.md"
    text: str
    expected: list[dict]                    # {"rule", "line", "column"}
    injected: list[str]
    states: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # entity, attr, raw, line, column
    mismatches: list[tuple[str, str, int, str]] = field(default_factory=list)   # entity, attr, line, column


SECTION_BUILDERS = {
    "evolution": S.evolution, "spec": S.spec, "comparison": S.comparison, "scaling": S.scaling,
    "cluster": S.cluster, "systems": S.systems, "shares": S.shares, "support": S.support,
    "reference": S.reference_section,
}
# An error that contradicts another table needs that table in the note.
REQUIRES = {"cross-table": "evolution", "system-chip": "evolution"}
CHAPTERS = (("hardware", ("evolution", "spec", "comparison")), ("systems", ("systems", "scaling", "cluster")),
            ("business", ("revenue", "shares")), ("software", ("support",)), ("reference", ("reference",)))
CHAPTER_TITLES = {"zh": {"hardware": "芯片", "systems": "系统与集群", "business": "营收与市场",
                         "software": "软件生态", "reference": "参考数据"},
                  "en": {"hardware": "Chips", "systems": "Systems and clusters", "business": "Business",
                         "software": "Software", "reference": "Reference figures"}}


def choose_injections(rng: random.Random, clean_share: float) -> list[str]:
    if rng.random() < clean_share:
        return []
    return rng.sample(sorted(S.INJECTABLE), rng.randint(1, 3))


def generate_note(seed: int, index: int, clean_share: float = 0.25) -> Note:
    rng = random.Random(f"{seed}:{index}")
    lang = "zh" if rng.random() < 0.55 else "en"
    year = rng.randint(2025, 2027)
    fam = S.make_family(rng, year)
    style = S.Style(rng)
    injections = choose_injections(rng, clean_share)
    by_section = {S.INJECTABLE[r]: r for r in injections}
    wanted = {k for k in SECTION_BUILDERS if rng.random() < 0.75} | set(by_section) | {"revenue"}
    wanted |= {REQUIRES[r] for r in injections if r in REQUIRES}
    date_year = fam.years[-1] if "forecast" in injections else year
    date = f"{date_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    lines = title_block(fam, lang, date, rng)
    expected: list[dict] = []
    years: list[tuple[int, str, int]] = []
    states: list[tuple[str, str, str, int, str]] = []
    chapters = list(CHAPTERS)
    rng.shuffle(chapters)
    for c_index, (chapter, kinds) in enumerate(chapters):
        present = [k for k in kinds if k in wanted]
        if not present:
            continue
        name = CHAPTER_TITLES[lang][chapter]
        lines += [f"## {CHAPTERS_ZH[c_index]}、{name}" if lang == "zh" else f"## {c_index + 1}. {name}", ""]
        for s_index, kind in enumerate(present, 1):
            number = f"{c_index + 1}.{s_index}"
            section = build(kind, fam, lang, style, rng, by_section.get(kind), number, year)
            base = len(lines) + 1                   # 1-based line of the section's first line
            lines += section.lines + [""] + S.paragraph(lang, rng)
            expected += [{"rule": e.rule, "line": base + e.offset, "column": e.column} for e in section.expected]
            if not section.forecast_label:
                years += [(base + off, col, y) for off, col, y in section.years]
            states += [(ent, attr, raw, base, kind) for ent, attr, raw in section.states]
        lines += S.prose(lang, rng, fam, f"{c_index + 1}.{len(present) + 1}") + [""]
        lines += ["---", ""]
    if "forecast" in injections:
        expected += [{"rule": "forecast", "line": line, "column": col} for line, col, y in years if y >= date_year]
    lines += ["*本笔记由生成器合成*" if lang == "zh" else "*Synthetic note written by the benchmark generator*", ""]
    folder = f"c{index // NOTES_PER_FOLDER:03d}"
    note = Note(f"{folder}/note-{index:05d}.md", "\n".join(lines), sorted(expected, key=_key), injections)
    note.states = states
    note.mismatches = [(e["line"], e["column"]) for e in expected if e["rule"] == "reference-mismatch"]
    return note


def build(kind, fam, lang, style, rng, inject, number, year) -> S.Section:
    if kind == "revenue":
        return S.revenue(fam, lang, style, rng, inject, number, year)
    return SECTION_BUILDERS[kind](fam, lang, style, rng, inject, number)


def title_block(fam: S.Family, lang: str, date: str, rng: random.Random) -> list[str]:
    title = f"{fam.company} 路线图：AI 芯片" if lang == "zh" else f"{fam.company} roadmap: AI chips"
    if rng.random() < 0.5:
        return ["---", f'title: "{title}"', f"date: {date}", "version: 1.0", "---", "", f"# {title}", ""]
    byline = f"> 学习笔记 | 版本：1.0 | {date}" if lang == "zh" else f"> Study notes | version 1.0 | {date}"
    return [f"# {title}", byline, "", "---", ""]


def _key(e: dict):
    return (e["line"], e["rule"], e["column"] or "")


def add_cross_document(notes: list[Note]) -> None:
    """A reference figure stated wrongly in one note while at least two other notes state it
    rightly is also a cross-document outlier. Which (entity, attribute) a wrong row breaks is
    recomputed from the rows every note states."""
    right: dict[tuple[str, str, str], set[int]] = {}
    for i, note in enumerate(notes):
        for entity, attr, raw, _, _ in note.states:
            right.setdefault((entity, attr, raw), set()).add(i)
    truth = {(e, a): raw for e, a_raw in _real_truth().items() for a, raw in a_raw.items()}
    for i, note in enumerate(notes):
        for entity, attr, raw, _, _ in note.states:
            if truth.get((entity, attr)) == raw:
                continue
            others = right.get((entity, attr, truth[(entity, attr)]), set()) - {i}
            if len(others) >= 2:
                line, column = _mismatch_cell(note)
                note.expected = sorted(note.expected + [{"rule": "cross-document", "line": line,
                                                         "column": column}], key=_key)


def _real_truth() -> dict[str, dict[str, str]]:
    attrs = ("process_node", "transistors", "cores", "year")
    return {row[0]: dict(zip(attrs, row[1:])) for row in S.REAL_ROWS}


def _mismatch_cell(note: Note) -> tuple[int, str]:
    return note.mismatches[0]


def generate_corpus(out: Path, count: int, seed: int = 7, clean_share: float = 0.25) -> list[Note]:
    """Write `count` notes (and their expected findings) under `out`; returns them."""
    notes = [generate_note(seed, i, clean_share) for i in range(count)]
    add_cross_document(notes)
    for note in notes:
        path = out / note.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note.text, encoding="utf-8")
        path.with_suffix(".expected.json").write_text(
            json.dumps({"path": note.name, "injected": note.injected, "findings": note.expected},
                       ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", "--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clean-share", type=float, default=0.25)
    args = parser.parse_args(argv)
    notes = generate_corpus(args.out, args.count, args.seed, args.clean_share)
    size = sum(len(n.text.encode()) for n in notes)
    print(f"wrote {len(notes)} notes ({size / len(notes) / 1024:.1f} KB each on average) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
