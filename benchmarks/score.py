"""Recall and precision of the rules on a generated corpus: the findings a run reports
against the `*.expected.json` files the generator wrote beside the notes.

A finding counts as found when an expected one has the same rule, note and line (the column is
informative only: a rule may name the other cell of a pair). Every other finding of the run is
a false positive, whatever its severity.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass
class RuleScore:
    expected: int = 0
    reported: int = 0
    found: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0


@dataclass
class Score:
    rules: dict[str, RuleScore] = field(default_factory=dict)
    missed: list[tuple[str, str, int]] = field(default_factory=list)      # (rule, path, line)
    spurious: list[tuple[str, str, int]] = field(default_factory=list)

    def total(self) -> RuleScore:
        out = RuleScore()
        for s in self.rules.values():
            out.expected += s.expected
            out.reported += s.reported
            out.found += s.found
        return out


def load_expected(root: Path) -> Counter:
    """(rule, note path relative to root, line) -> how many findings are expected there."""
    out: Counter = Counter()
    for path in sorted(root.rglob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for f in data["findings"]:
            out[(f["rule"], data["path"], f["line"])] += 1
    return out


def reported_keys(findings: Iterable[dict], run_dir: Path, root: Path) -> Counter:
    """Findings as the JSON emitter writes them (paths relative to `run_dir`, where the check
    ran) -> the same keys as `load_expected` (paths relative to `root`)."""
    out: Counter = Counter()
    base = root.resolve()
    for f in findings:
        loc = f["location"]
        path = (run_dir / loc["path"]).resolve()
        rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else loc["path"]
        out[(f["rule"], rel, loc["line"])] += 1
    return out


def score(expected: Counter, reported: Counter) -> Score:
    result = Score()
    for key in sorted(set(expected) | set(reported)):
        rule = key[0]
        s = result.rules.setdefault(rule, RuleScore())
        e, r = expected.get(key, 0), reported.get(key, 0)
        s.expected += e
        s.reported += r
        s.found += min(e, r)
        if e > r:
            result.missed.extend([key] * (e - r))
        if r > e:
            result.spurious.extend([key] * (r - e))
    return result


def format_score(result: Score) -> str:
    lines = [f"{'rule':<22} {'expected':>8} {'reported':>8} {'found':>6} {'recall':>7} {'precision':>9}"]
    for rule in sorted(result.rules):
        s = result.rules[rule]
        lines.append(f"{rule:<22} {s.expected:>8} {s.reported:>8} {s.found:>6} {s.recall:>7.1%} {s.precision:>9.1%}")
    t = result.total()
    lines.append(f"{'all rules':<22} {t.expected:>8} {t.reported:>8} {t.found:>6} {t.recall:>7.1%} {t.precision:>9.1%}")
    return "\n".join(lines)
