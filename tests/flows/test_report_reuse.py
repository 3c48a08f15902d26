"""The flow's report over a large corpus re-renders only the document pages whose inputs
changed, and its run archive is a linked copy. Every reused page must be byte-identical to a
fresh render of the same inputs (no stale page)."""
from __future__ import annotations

import dataclasses
import filecmp
from pathlib import Path

import pytest

from factlint.emit import html as report
from factlint.emit.html import copy_report, page_name, write_report
from tests.report.report_support import cell_location, finding, make_result

TABLE = "| Chip | Power |\n|---|---|\n| {name} | {watts} W |\n"
RUN = {"run_id": "r1", "time": "2026-01-01T00:00:00+00:00", "published_version": "r1",
       "documents": [{"path": "a.md", "status": "published"},
                     {"path": "b.md", "status": "held-back", "reason": "1 error"},
                     {"path": "c.md", "status": "published"}]}


@pytest.fixture(autouse=True)
def split_always(monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1)


@pytest.fixture
def rendered(monkeypatch):
    """Paths whose page was rendered (not reused) since the last reset."""
    seen: list[str] = []
    real = report.render_document_page

    def counting(result, *args, **kwargs):
        seen.append(result.path)
        return real(result, *args, **kwargs)

    monkeypatch.setattr(report, "render_document_page", counting)
    return seen


def corpus(watts_c: int = 300):
    results = [make_result(TABLE.format(name=n, watts=w), f"{n}.md")
               for n, w in (("a", 100), ("b", 200), ("c", watts_c))]
    a, c = results[0].document, results[2].document
    # a's finding names a cell of c: a's page links to it by c's anchor
    findings = [finding(a, 1, 0, 1, message="differs from c",
                        related=(cell_location(c, 1, 0, 1, role="other figure"),)),
                finding(results[1].document, 1, 0, 1, message="b is off")]
    return results, findings


def pages(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "docs").iterdir())}


def fresh(tmp_path: Path, results, findings, run) -> dict[str, bytes]:
    out = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    write_report(results, findings, out, run=run)
    return pages(out)


def test_an_unchanged_corpus_renders_no_page_again(tmp_path, rendered):
    results, findings = corpus()
    out = tmp_path / "out"
    write_report(results, findings, out, run=RUN)
    assert sorted(rendered) == ["a.md", "b.md", "c.md"]
    before = pages(out)
    rendered.clear()
    write_report(results, findings, out, run={**RUN, "run_id": "r2", "published_version": "r2"})
    assert rendered == [] and pages(out) == before
    assert "r2" in (out / "index.html").read_text(encoding="utf-8")     # the index says which run
    assert b"r1" not in before[page_name("b.md")]                        # pages do not


@pytest.fixture
def out(tmp_path, rendered) -> Path:
    """A report of the standard corpus, already written once."""
    results, findings = corpus()
    write_report(results, findings, tmp_path / "out", run=RUN)
    rendered.clear()
    return tmp_path / "out"


def again(out: Path, rendered: list[str], results, findings, run=RUN) -> list[str]:
    """Write the report again with changed inputs: which pages were rendered. Every page,
    reused or not, must be what a report written from scratch holds."""
    write_report(results, findings, out, run=run)
    written = sorted(rendered)
    assert pages(out) == fresh(out.parent, results, findings, run)
    return written


def test_a_changed_finding_re_renders_only_its_page(out, rendered):
    results, findings = corpus()
    findings[1] = dataclasses.replace(findings[1], message="b is off, differently")
    assert again(out, rendered, results, findings) == ["b.md"]


def test_a_changed_note_re_renders_the_pages_that_point_into_it(out, rendered):
    # a shows a related cell of c
    assert again(out, rendered, *corpus(watts_c=350)) == ["a.md", "c.md"]


def test_a_change_elsewhere_in_a_related_note_re_renders_only_that_note(out, rendered):
    results, findings = corpus()
    results[2] = make_result(TABLE.format(name="c", watts=300) + "| c2 | 400 W |\n", "c.md")
    # a's related cell of c is where it was
    assert again(out, rendered, results, findings) == ["c.md"]


def test_a_changed_publication_status_re_renders_that_page(out, rendered):
    run = {**RUN, "documents": [*RUN["documents"][:1], {"path": "b.md", "status": "published"},
                                RUN["documents"][2]]}
    assert again(out, rendered, *corpus(), run=run) == ["b.md"]


def test_a_changed_renderer_re_renders_every_page(out, rendered, monkeypatch):
    monkeypatch.setattr(report, "_renderer_digest", lambda: "another template")
    assert again(out, rendered, *corpus()) == ["a.md", "b.md", "c.md"]


def test_a_page_without_a_key_is_rendered_again(out, rendered):
    (out / "docs" / page_name("c.md")).write_text("edited by hand", encoding="utf-8")
    assert again(out, rendered, *corpus()) == ["c.md"]


def test_the_archive_is_a_copy_that_later_reports_do_not_change(tmp_path):
    results, findings = corpus()
    out = tmp_path / "out"
    write_report(results, findings, out, run=RUN)
    (out / "docs" / "notes.txt").write_text("not ours", encoding="utf-8")
    archive = copy_report(out, tmp_path / "runs" / "r1")
    assert archive == tmp_path / "runs" / "r1" / "index.html"
    names = sorted(p.name for p in (archive.parent / "docs").iterdir())
    assert names == sorted(page_name(p) for p in ("a.md", "b.md", "c.md"))
    assert filecmp.cmp(archive, out / "index.html", shallow=False)
    kept = pages(archive.parent)
    findings[1] = dataclasses.replace(findings[1], message="changed after archiving")
    write_report(results, findings, out, run=RUN)
    assert pages(archive.parent) == kept != pages(out)


def test_archiving_into_a_folder_again_replaces_its_pages(tmp_path):
    results, findings = corpus()
    out, dest = tmp_path / "out", tmp_path / "runs" / "r1"
    write_report(results, findings, out, run=RUN)
    copy_report(out, dest)
    findings[1] = dataclasses.replace(findings[1], message="changed before archiving again")
    write_report(results, findings, out, run=RUN)
    copy_report(out, dest)
    assert pages(dest) == pages(out) and not list(dest.rglob(".*.partial"))


def many_notes(n: int = 24):
    """n notes, each with a finding whose related cells sit in the next note and in its own
    second row (resolved while the finding's page renders)."""
    results = [make_result(TABLE.format(name=f"n{i:02d}", watts=100 + i) + f"| m{i:02d} | 7 W |\n",
                           f"n{i:02d}.md") for i in range(n)]
    docs = [r.document for r in results]
    findings = [finding(docs[i], 1, 0, 1, message=f"differs from n{(i + 1) % n:02d}",
                        related=(cell_location(docs[(i + 1) % n], 1, 0, 1, role="other figure"),
                                 cell_location(docs[i], 1, 1, 1, role="same note")))
                for i in range(n)]
    return results, findings


def test_pages_rendered_by_forked_workers_are_the_pages_one_process_renders(tmp_path, monkeypatch):
    """The page pool (write_report over many stale pages) writes the same bytes as rendering
    every page here, and hands back every cell anchor its workers resolved, so the notes'
    report facts (what the next run remembers) are the same too."""
    results, findings = many_notes()
    renderer = report.renderer_digest()
    run = {"run_id": "r1", "documents": [{"path": r.path, "status": "published"} for r in results]}
    outcomes = {}
    monkeypatch.setenv("FACTLINT_JOBS", "2")
    for name, pool_min in (("one-process", 10 ** 9), ("pool", 2)):
        monkeypatch.setattr(report, "PAGES_POOL_MIN", pool_min)
        indexes = report.cell_indexes(results, renderer)
        out = tmp_path / name
        write_report(results, findings, out, run=run, indexes=indexes)
        outcomes[name] = (pages(out), (out / "index.html").read_bytes(),
                          [report.report_facts(r, indexes, renderer) for r in results])
    assert len(outcomes["pool"][0]) == len(results)
    assert outcomes["pool"] == outcomes["one-process"]
    assert all(facts.anchors for facts in outcomes["pool"][2])     # the workers' anchors came back


def test_pages_rendered_while_the_suite_runs_are_the_pages_write_report_writes(tmp_path, monkeypatch,
                                                                               rendered):
    """The flow renders the pages in forked workers while its expectation suite runs
    (``pages_rendered_meanwhile``), from the run as planned. write_report afterwards keeps
    every page whose inputs are still those, and the report and the notes' report facts are
    byte for byte what write_report alone makes. A page whose inputs changed after all (an
    expectation finding on that note) is rendered again."""
    results, findings = many_notes()
    renderer = report.renderer_digest()
    run = {"run_id": "r1", "documents": [{"path": r.path, "status": "published"} for r in results]}
    monkeypatch.setenv("FACTLINT_JOBS", "2")
    monkeypatch.setattr(report, "PAGES_POOL_MIN", 2)
    late = finding(results[3].document, 1, 1, 1, message="an expectation fails here")

    alone = tmp_path / "alone"
    alone_indexes = report.cell_indexes(results, renderer)
    write_report(results, findings + [late], alone, run=run, indexes=alone_indexes)

    early = tmp_path / "early"
    indexes = report.cell_indexes(results, renderer)
    planned = {"documents": run["documents"]}
    with report.pages_rendered_meanwhile(results, findings, early, run=planned, indexes=indexes):
        assert rendered == []                   # the workers render, not this process
    assert len(pages(early)) == len(results)
    write_report(results, findings + [late], early, run=run, indexes=indexes)
    assert rendered == [results[3].path]        # only the page the late finding changed
    assert pages(early) == pages(alone)
    assert (early / "index.html").read_bytes() == (alone / "index.html").read_bytes()
    assert [report.report_facts(r, indexes, renderer) for r in results] == \
        [report.report_facts(r, alone_indexes, renderer) for r in results]

    # a blocked publication changes what every page says: all are rendered again
    before = pages(early)
    blocked = {**run, "blocked": "1 data expectation(s) failed"}
    write_report(results, findings + [late], early, run=blocked)
    after = pages(early)
    assert before.keys() == after.keys() and all(before[p] != after[p] for p in before)


def test_pages_are_not_rendered_early_when_the_block_fails(tmp_path, monkeypatch):
    """An error in the caller's block (the suite could not run) stops the workers' remaining
    pages and is raised as it was."""
    results, findings = many_notes(64)
    monkeypatch.setenv("FACTLINT_JOBS", "2")
    monkeypatch.setattr(report, "PAGES_POOL_MIN", 2)
    indexes = report.cell_indexes(results, report.renderer_digest())
    with pytest.raises(RuntimeError, match="suite"):
        with report.pages_rendered_meanwhile(results, findings, tmp_path, indexes=indexes):
            raise RuntimeError("the suite could not run")
    assert report._PAGES_JOB is None
