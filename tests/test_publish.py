"""publish.py without Prefect: what is published or held back, the on-disk layout, atomicity
under kill -9, and the lock."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from factlint import publish
from factlint.findings import Severity
from tests.flows.claims_factory import claim, error_at, result

REPO = Path(__file__).resolve().parents[1]


def plan(results, previous=None, run_id="20260101T000000Z-aaaaaa", findings=None):
    if findings is None:
        findings = [f for r in results for f in r.findings]
    return publish.plan_publication(results, findings, previous, run_id=run_id,
                                    created="2026-01-01T00:00:00+00:00", engine={"version": "t"})


def statuses(publication):
    return {d.path: (d.status, d.version, d.claims) for d in publication.documents}


def clean(path="a.md", value=8.0):
    return result(path, claim(path, 3, value=value), claim(path, 4, attribute="process_node",
                                                           dimension="length", value=5))


def failing(path="a.md", value=9.0):
    return result(path, claim(path, 3, value=value), findings=[error_at(path, 3)])


# --------------------------------------------------------------------------- planning

def test_clean_documents_are_published_and_failing_ones_held_back():
    p = plan([clean("a.md"), failing("b.md")])
    assert statuses(p) == {"a.md": ("published", p.run_id, 2), "b.md": ("held-back", None, 0)}
    assert set(p.claims["path"]) == {"a.md"}
    held = p.held_back[0]
    assert held.reason == "1 error finding: cluster-total at line 3" and held.errors == 1


def test_warnings_do_not_hold_a_document_back():
    warning = dataclasses.replace(error_at("a.md", 3), severity=Severity.WARNING)
    doc = clean("a.md")
    doc.findings.append(warning)
    p = plan([doc])
    assert statuses(p)["a.md"][0] == "published" and p.documents[0].warnings == 1


def test_corpus_findings_hold_back_the_document_they_point_at():
    p = plan([clean("a.md"), clean("b.md")], findings=[error_at("b.md", 4, "cross-document")])
    assert statuses(p)["b.md"][0] == "held-back" and statuses(p)["a.md"][0] == "published"
    assert "cross-document at line 4" in p.held_back[0].reason


def test_unreadable_document_is_held_back_with_its_error():
    broken = result("c.md")
    broken.error = "not UTF-8, GB18030 or UTF-16"
    p = plan([broken])
    assert p.held_back[0].reason == "unreadable: not UTF-8, GB18030 or UTF-16"


def test_claims_that_break_the_contract_hold_back_only_their_document():
    bad = result("b.md", claim("b.md", 3))
    bad.claims = bad.claims.assign(line=0)          # ClaimsSchema: line >= 1
    p = plan([clean("a.md"), bad])
    assert statuses(p)["b.md"][:2] == ("held-back", None)
    assert "claims break the published contract" in p.held_back[0].reason
    assert set(p.claims["path"]) == {"a.md"}


def test_carried_and_fresh_claims_are_validated_as_one_frame_would_be(tmp_path):
    """Fresh claims' object text columns are cast to the contract's dtype before they meet the
    carried ones (which come back from Parquet in it); the claims are what validating the
    plain concatenation gives."""
    from schemas.claims import ClaimsSchema

    out = tmp_path / "validated"
    publish.publish(plan([clean("a.md"), clean("b.md")], run_id="v1"), out)
    carried = publish.read_published(out).claims()
    fresh = result("c.md", claim("c.md", 3), claim("c.md", 4, attribute="process_node",
                                                 dimension="length", value=5)).claims
    fresh = fresh.astype({c: object for c in fresh.columns if pd.api.types.is_string_dtype(fresh[c])})
    fresh.loc[0, "qualifier"] = None
    assert pd.api.types.is_object_dtype(fresh["path"])
    got, _ = publish._validated_claims([carried, fresh], [], None)
    expected = ClaimsSchema.validate(pd.concat([carried, fresh], ignore_index=True), lazy=True) \
        .sort_values(["path", "table", "line", "column"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert set(got["path"]) == {"a.md", "b.md", "c.md"}


# --------------------------------------------------------------------------- writing and carrying forward

def test_publish_writes_a_complete_dataset_behind_stable_links(tmp_path):
    out = tmp_path / "validated"
    folder = publish.publish(plan([clean("a.md"), failing("b.md")]), out)
    assert (out / "current").resolve() == folder.resolve() and publish.verify(folder) == []
    for name in publish.DATASET_FILES:
        assert (out / name).is_symlink() and (out / name).resolve() == (folder / name).resolve()
    claims = pd.read_parquet(out / "claims.parquet")
    csv = pd.read_csv(out / "claims.csv")
    assert list(claims.columns) == list(csv.columns) and len(claims) == len(csv) == 2
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run_id"] == "20260101T000000Z-aaaaaa"
    assert manifest["inputs"] == {"a.md": clean("a.md").sha256, "b.md": failing("b.md").sha256}
    assert manifest["counts"] == {"documents": 2, "published": 1, "held_back": 1, "removed": 0,
                                  "claims": 2, "findings": 1}
    findings = json.loads((out / "findings.json").read_text())
    assert [(f["rule"], f["location"]["path"]) for f in findings] == [("cluster-total", "b.md")]
    assert len(pd.read_parquet(out / "findings.parquet")) == 1


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_version_staged_by_a_child_while_the_suite_runs_is_the_version_publish_writes(
        tmp_path, monkeypatch):
    """The flow stages the version in a forked child while its suite runs; publishing it then
    gives the files publish alone writes, and nothing readers see changes before that."""
    monkeypatch.setattr(publish, "STAGE_AHEAD_MIN_CLAIMS", 1)
    p = plan([clean("a.md"), failing("b.md")])
    alone = publish.publish(p, tmp_path / "alone")
    out = tmp_path / "ahead"
    with publish.staged_meanwhile(p, out) as staged:
        folder = staged()
        assert folder is not None and folder.name.startswith(".staging-")
        assert folder.parent == out / publish.VERSIONS and not (out / "current").exists()
        assert publish.verify(folder) == []
        version = publish.publish(p, out, staged=folder)
    assert not folder.exists() and (out / "current").resolve() == version.resolve()
    assert _files(version) == _files(alone)
    assert [p.name for p in (out / publish.VERSIONS).iterdir()] == [version.name]


def test_a_version_staged_ahead_and_not_published_is_removed(tmp_path, monkeypatch):
    """The suite failed, or the block raised: the staged folder goes, current stays."""
    monkeypatch.setattr(publish, "STAGE_AHEAD_MIN_CLAIMS", 1)
    out = tmp_path / "validated"
    first = publish.publish(plan([clean("a.md")]), out)
    for fail in (False, True):
        with pytest.raises(RuntimeError) if fail else contextlib.nullcontext():
            with publish.staged_meanwhile(plan([clean("a.md", value=9.0)], run_id="r2"), out) as staged:
                folder = staged()
                if fail:
                    raise RuntimeError("the suite could not run")
        assert folder is not None and not folder.exists()
        assert (out / "current").resolve() == first.resolve()
        assert [p.name for p in (out / publish.VERSIONS).iterdir()] == [first.name]


def test_a_child_that_fails_to_stage_leaves_the_staging_to_publish(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(publish, "STAGE_AHEAD_MIN_CLAIMS", 1)
    real = publish.stage

    def broken(publication, out):
        if os.getpid() != parent:
            raise OSError("disk full")
        return real(publication, out)

    parent = os.getpid()
    monkeypatch.setattr(publish, "stage", broken)
    p = plan([clean("a.md")])
    out = tmp_path / "validated"
    with publish.staged_meanwhile(p, out) as staged:
        assert staged() is None
        version = publish.publish(p, out, staged=staged())
    assert publish.verify(version) == [] and "disk full" in caplog.text


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_published_versions_have_the_mode_the_umask_gives_like_any_folder(tmp_path, umask):
    """Not mkdtemp's 0700: other users (a web server, a reader in the group) read the dataset."""
    before = os.umask(umask)
    try:
        folder = publish.publish(plan([clean("a.md")]), tmp_path / "validated")
    finally:
        os.umask(before)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    assert all((folder / name).stat().st_mode & 0o777 == 0o666 & ~umask for name in publish.DATASET_FILES)


def test_a_document_that_now_fails_keeps_its_last_good_version(tmp_path):
    out = tmp_path / "validated"
    publish.publish(plan([clean("a.md", 8.0), clean("b.md")], run_id="v1"), out)
    second = plan([failing("a.md", 99.0), clean("b.md")], publish.read_published(out), run_id="v2")
    assert statuses(second)["a.md"] == ("held-back", "v1", 2)
    publish.publish(second, out)
    third = plan([failing("a.md", 99.0), clean("b.md")], publish.read_published(out), run_id="v3")
    assert statuses(third)["a.md"] == ("held-back", "v1", 2)      # still the v1 claims
    publish.publish(third, out)
    dataset = publish.read_published(out)
    a = dataset.claims().query("path == 'a.md' and attribute == 'compute'")
    assert dataset.version == "v3" and a["value"].tolist() == [8.0]
    assert dataset.document("a.md")["reason"].startswith("1 error finding")


def test_documents_gone_from_the_corpus_are_dropped_and_listed(tmp_path):
    out = tmp_path / "validated"
    publish.publish(plan([clean("a.md"), clean("b.md")], run_id="v1"), out)
    p = plan([clean("a.md")], publish.read_published(out), run_id="v2")
    assert p.removed == ["b.md"] and set(p.claims["path"]) == {"a.md"}


def test_old_versions_and_leftovers_are_pruned(tmp_path):
    out = tmp_path / "validated"
    (out / "versions" / ".staging-dead").mkdir(parents=True)
    for n in range(5):
        publish.publish(plan([clean("a.md")], run_id=f"v{n}"), out, keep=3)
    assert sorted(p.name for p in (out / "versions").iterdir()) == ["v2", "v3", "v4"]


# --------------------------------------------------------------------------- kill -9

KILL_SCRIPT = """
import sys
from factlint import publish
from tests.flows.claims_factory import claim, result
out = sys.argv[1]
p = publish.plan_publication([result("a.md", claim("a.md", 3, value=16.0))], [],
                             publish.read_published(out), run_id="v2", created="t")
publish.publish(p, out)
print("finished", flush=True)
"""
# The three states a publisher can die in: a half-written staging folder, a complete new
# version that is not current yet, and a swapped `current` whose links and pruning are pending.
KILL_POINTS = ["wrote claims.csv", "renamed", "swapped"]


def test_kill_9_at_any_step_leaves_a_complete_dataset(tmp_path):
    """One publisher per kill point, all at once (each pays the pandas import only once)."""
    procs = {}
    for n, point in enumerate(KILL_POINTS):
        out = tmp_path / f"out{n}"
        publish.publish(plan([clean("a.md", 8.0)], run_id="v1"), out)
        env = {**os.environ, publish.PAUSE_ENV: point, "PYTHONPATH": str(REPO)}
        procs[point] = (out, subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(out)],
                                              cwd=REPO, env=env, stderr=subprocess.PIPE, text=True))
    for point, (out, proc) in procs.items():
        _wait_for_step(proc, point)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        dataset = publish.read_published(out)
        assert publish.verify(dataset.folder) == [], point
        value = dataset.claims().query("attribute == 'compute'")["value"].tolist()
        expected = {"v1": [8.0], "v2": [16.0]}[dataset.version]
        assert value == expected, point
        assert dataset.version == ("v2" if point == "swapped" else "v1"), point
        # the next run is not blocked by the dead one (flock dies with it) and cleans up
        with publish.publication_lock(out, wait=5):
            publish.publish(plan([clean("a.md")], publish.read_published(out), run_id="v3"), out)
        assert not list((out / "versions").glob(".staging-*")) and not list(out.glob(".*-*"))
        assert publish.read_published(out).version == "v3"


def _wait_for_step(proc, point, timeout=60):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if line.strip() == f"factlint-publish-step: {point}":
            return
    proc.kill()
    pytest.fail(f"publisher never reached {point!r}: {''.join(seen)[-2000:]}")


# --------------------------------------------------------------------------- lock

def test_a_second_run_gives_up_with_a_clear_message(tmp_path):
    with publish.publication_lock(tmp_path):
        start = time.monotonic()
        with pytest.raises(publish.PublishLocked) as err:
            with publish.publication_lock(tmp_path, wait=0.4, poll=0.05):
                pass
        assert time.monotonic() - start >= 0.4
    assert f"pid {os.getpid()}" in str(err.value) and "gave up after waiting 0.4 s" in str(err.value)


def test_a_second_run_waits_for_the_first(tmp_path):
    order = []
    first_in = threading.Event()

    def first():
        with publish.publication_lock(tmp_path):
            first_in.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with publish.publication_lock(tmp_path, wait=10, poll=0.02):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_unchanged_claims_files_are_shared_with_the_previous_version(tmp_path):
    out = tmp_path / "validated"
    first = publish.publish(plan([clean("a.md"), clean("b.md")], run_id="v1"), out)
    # same claims, another finding (a warning): only the findings files are new
    warning = dataclasses.replace(error_at("b.md", 4), severity=Severity.WARNING)
    again = clean("b.md")
    again.findings.append(warning)
    second = publish.publish(plan([clean("a.md"), again], publish.read_published(out), run_id="v2"), out)
    for name in publish.CLAIMS_FILES:
        assert (first / name).stat().st_ino == (second / name).stat().st_ino
    assert (first / "findings.json").read_bytes() != (second / "findings.json").read_bytes()
    assert publish.verify(second) == []
    # changed claims are written afresh, and the older version keeps its own
    third = publish.publish(plan([clean("a.md", 9.0), again], publish.read_published(out),
                                 run_id="v3"), out)
    assert (third / "claims.csv").stat().st_ino != (second / "claims.csv").stat().st_ino
    assert publish.verify(third) == [] and publish.verify(first) == []
    assert sorted(pd.read_parquet(third / "claims.parquet")["value"]) != \
        sorted(pd.read_parquet(first / "claims.parquet")["value"])


def test_unchanged_documents_rows_are_copied_into_the_next_claims_csv(tmp_path, monkeypatch):
    """A version's claims.csv is what pandas writes of its claims, whether each document's rows
    were formatted or copied from the last version; only a changed document is formatted."""
    from factlint import csvtext

    out = tmp_path / "validated"
    first = publish.publish(plan([clean("a.md"), clean("b.md"), clean("c.md")], run_id="v1"), out)
    spans = json.loads((first / publish.MANIFEST).read_text())[publish.CSV_INDEX]["spans"]
    assert sorted(spans) == ["a.md", "b.md", "c.md"]
    formatted = []
    real = csvtext._run_texts
    monkeypatch.setattr(csvtext, "_run_texts", lambda frame, runs, **kw: (
        formatted.append([r[0] for r in runs]), real(frame, runs, **kw))[1])
    second = publish.publish(plan([clean("a.md"), clean("b.md", 9.0), clean("c.md")],
                                  publish.read_published(out), run_id="v2"), out)
    assert formatted == [["b.md"]]
    claims = pd.read_parquet(second / "claims.parquet")
    assert (second / "claims.csv").read_bytes() == \
        claims.to_csv(index=False, lineterminator="\n").encode("utf-8")
    assert publish.verify(second) == []
    # An earlier file that is not the one its manifest hashed is not copied from.
    (second / "claims.csv").chmod(0o644)
    with open(second / "claims.csv", "r+b") as handle:
        handle.seek(len("path"))
        handle.write(b"X")
    formatted.clear()
    publish.publish(plan([clean("a.md"), clean("b.md", 9.0), clean("c.md", 7.0)],
                         publish.read_published(out), run_id="v3"), out)
    assert formatted == [["a.md", "b.md", "c.md"]]


def test_a_negative_zero_changes_the_claims_digest_and_the_csv():
    """pandas hashes -0.0 as 0.0, and the files write them differently."""
    zero = result("a.md", claim("a.md", 3, value=0.0)).claims
    minus = result("a.md", claim("a.md", 3, value=-0.0)).claims
    assert publish.claims_digests(zero) != publish.claims_digests(minus)
    assert publish.claims_digests(zero) == publish.claims_digests(zero.copy())
