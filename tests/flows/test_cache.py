"""The per-document cache, with a counting fake of check_documents (fast, no Prefect)."""
from __future__ import annotations

from pathlib import Path

import pytest

from factlint import cache
from tests.flows.claims_factory import claim, result


class CountingCheck:
    """check_documents stand-in: records which paths it was asked to validate."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, paths, settings=None):
        self.calls.append([str(p) for p in paths])
        return [result(str(p), claim(str(p), 3, value=float(len(Path(p).read_text()))))
                for p in paths]

    @property
    def checked(self) -> list[str]:
        return [p for call in self.calls for p in call]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    # Pin the engine source: other work edits factlint/ while these tests run.
    source = tmp_path / "engine"
    source.mkdir()
    (source / "rules.py").write_text("RULES = 1\n")
    monkeypatch.setattr(cache, "ENGINE_SOURCE_DIRS", (source,))
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (notes / name).write_text(f"# {name}\n", encoding="utf-8")
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "attributes.yaml").write_text("attributes: []\n")
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "facts.yaml").write_text("facts: []\n")
    return notes, vocab, reference


def run(paths, root, check, **key_dirs):
    engine = cache.engine_key(None, **key_dirs)
    return cache.check_documents_cached(paths, None, root, engine=engine, check=check)


def test_a_second_run_with_no_change_validates_nothing(corpus, tmp_path):
    notes, vocab, reference = corpus
    paths = sorted(notes.glob("*.md"))
    check = CountingCheck()
    first = run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    second = run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    assert len(first.stats.misses) == 3 and first.stats.hits == []
    assert second.stats.misses == [] and second.stats.hits == [str(p) for p in paths]
    assert check.calls == [[str(p) for p in paths]]             # only the first run checked
    assert [r.path for r in second.results] == [str(p) for p in paths]
    assert second.results[0].claims.equals(first.results[0].claims)


def test_only_the_changed_document_is_revalidated(corpus, tmp_path):
    notes, vocab, reference = corpus
    paths = sorted(notes.glob("*.md"))
    check = CountingCheck()
    run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    (notes / "b.md").write_text("# b, edited\n", encoding="utf-8")
    again = run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    assert again.stats.misses == [str(notes / "b.md")]
    assert again.results[1].claims["value"].tolist() == [len("# b, edited\n")]


@pytest.mark.parametrize("edit", ["vocabulary", "reference", "engine"])
def test_vocabulary_reference_or_code_changes_invalidate_everything(corpus, tmp_path, edit):
    notes, vocab, reference = corpus
    paths = sorted(notes.glob("*.md"))
    check = CountingCheck()
    run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    folder = {"vocabulary": vocab, "reference": reference, "engine": tmp_path / "engine"}[edit]
    (folder / "extra.py").write_text("NEW = True\n")
    again = run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    assert len(again.stats.misses) == 3


def test_engine_key_covers_version_source_and_settings(corpus):
    _notes, vocab, reference = corpus
    key = cache.engine_key(None, vocab_dir=vocab, reference_dir=reference)
    assert key == cache.engine_key(None, vocab_dir=vocab, reference_dir=reference)
    assert key.source == cache.tree_hash(*cache.ENGINE_SOURCE_DIRS, suffixes=(".py",),
                                         exclude=cache.NOT_ENGINE)
    other = cache.engine_key(("select", "cluster-total"), vocab_dir=vocab, reference_dir=reference)
    assert other.settings != key.settings and other.digest != key.digest
    assert set(key.as_dict()) == {"version", "source", "vocabulary", "reference", "settings", "digest"}


def test_reports_and_publishing_code_are_not_part_of_the_engine(tmp_path):
    (tmp_path / "emit").mkdir()
    (tmp_path / "rules.py").write_text("A = 1\n")
    before = cache.tree_hash(tmp_path, suffixes=(".py",), exclude=("emit", "cli.py"))
    (tmp_path / "emit" / "html.py").write_text("B = 2\n")
    (tmp_path / "cli.py").write_text("C = 3\n")
    assert cache.tree_hash(tmp_path, suffixes=(".py",), exclude=("emit", "cli.py")) == before
    (tmp_path / "rules.py").write_text("A = 2\n")
    assert cache.tree_hash(tmp_path, suffixes=(".py",), exclude=("emit", "cli.py")) != before


def test_the_same_text_under_another_path_is_not_a_hit(corpus, tmp_path):
    notes, vocab, reference = corpus
    check = CountingCheck()
    run([notes / "a.md"], tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    copy = notes / "copy.md"
    copy.write_text((notes / "a.md").read_text())
    again = run([copy], tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    assert again.stats.misses == [str(copy)] and again.results[0].path == str(copy)


def test_a_torn_entry_is_a_miss_and_unreadable_files_are_never_cached(corpus, tmp_path):
    notes, vocab, reference = corpus
    check = CountingCheck()
    paths = [notes / "a.md"]
    run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    (entry,) = (tmp_path / "c").rglob("*.pkl")
    entry.write_bytes(b"\x80\x05trunc")
    assert run(paths, tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference).stats.misses
    missing = [notes / "gone.md"]

    def unreadable(paths, settings=None):
        broken = result(str(paths[0]))
        broken.error = "no such file"
        return [broken]

    for _ in range(2):
        outcome = run(missing, tmp_path / "c", unreadable, vocab_dir=vocab, reference_dir=reference)
        assert outcome.stats.misses == [str(missing[0])]


def test_prune_removes_other_engine_keys_only(corpus, tmp_path):
    notes, vocab, reference = corpus
    check = CountingCheck()
    run([notes / "a.md"], tmp_path / "c", check, vocab_dir=vocab, reference_dir=reference)
    (vocab / "extra.yaml").write_text("new: true\n")
    engine = cache.engine_key(None, vocab_dir=vocab, reference_dir=reference)
    cache.check_documents_cached([notes / "a.md"], None, tmp_path / "c", engine=engine, check=check)
    store = cache.DocumentCache(tmp_path / "c", engine)
    assert len(store.prune()) == 1
    assert [p.name for p in (tmp_path / "c").iterdir()] == [engine.digest[:16]]


def test_flatten_keeps_batch_order():
    one = cache.CachedBatch([1, 2], cache.CacheStats(hits=["a"], misses=["b"]))
    two = cache.CachedBatch([3], cache.CacheStats(misses=["c"]))
    joined = cache.flatten([one, two])
    assert joined.results == [1, 2, 3] and joined.stats == cache.CacheStats(["a"], ["b", "c"])


# --------------------------------------------------------------------------- the real check

NOTE = "# Chip {n}\n\n| Chip | Process | Power |\n|---|---|---|\n| Acme {n} | 5 nm | {w} kW |\n"


def _notes(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    for n in range(count):
        (folder / f"n{n:03}.md").write_text(NOTE.format(n=n, w=10 + n % 7), encoding="utf-8")
    return sorted(folder.glob("*.md"))


def _shape(results) -> list:
    return [(r.path, [f.fingerprint for f in r.findings], r.claims.to_json(orient="split"))
            for r in results]


def test_misses_are_checked_in_a_pool_with_the_results_of_one_process(tmp_path, monkeypatch):
    from factlint import pipeline

    paths = _notes(tmp_path / "notes", pipeline.POOL_MIN_FILES)
    forked = []
    real_context = pipeline._fork_context
    monkeypatch.setattr(pipeline, "_fork_context", lambda: forked.append(1) or real_context())
    monkeypatch.setattr(pipeline, "worker_count", lambda jobs=None: 2)
    batch = cache.check_documents_cached(paths, None, tmp_path / "c")
    assert forked and len(batch.stats.misses) == len(paths)
    assert _shape(batch.results) == _shape(pipeline.check_documents(paths))


def test_the_pool_s_workers_write_the_entries_the_next_run_loads(tmp_path, monkeypatch):
    """Each worker pickles a result once: that pickle is the cache entry and what the parent
    loads. The parent writes no entry itself, and the next run checks nothing."""
    import os

    from factlint import pipeline

    paths = _notes(tmp_path / "notes", pipeline.POOL_MIN_FILES)
    paths[0].write_bytes(b"\xff\xfe not text")          # read with an error: never cached
    monkeypatch.setattr(pipeline, "worker_count", lambda jobs=None: 2)
    writers = []
    real_write = cache.DocumentCache._write
    monkeypatch.setattr(cache.DocumentCache, "_write",
                        lambda self, blob, entry: writers.append(os.getpid()) or real_write(self, blob, entry))
    first = cache.check_documents_cached(paths, None, tmp_path / "c")
    assert writers == []                    # none in this process: the forked workers wrote them
    entries = sorted((tmp_path / "c").rglob("*.pkl"))
    unreadable = [r for r in first.results if r.error is not None]
    assert len(entries) == len(paths) - len(unreadable)
    second = cache.check_documents_cached(paths, None, tmp_path / "c")
    assert second.stats.misses == [str(p) for p in paths if str(p) in {r.path for r in unreadable}]
    assert _shape(second.results) == _shape(first.results)


def test_check_paths_gives_keep_the_pickle_of_each_result_in_this_process_too(tmp_path):
    import pickle

    from factlint import pipeline

    paths = _notes(tmp_path / "notes", 3)
    kept = []
    results = list(pipeline.check_paths(paths, None, keep=lambda *a: kept.append(a)))
    assert [k[0] for k in kept] == paths
    assert [k[1] for k in kept] == results
    assert _shape(pickle.loads(k[2]) for k in kept) == _shape(results)
    with pytest.raises(ValueError):
        list(pipeline.check_paths(paths, None, slim=True, keep=lambda *a: None))


def _check_in_daemon(paths, root, queue):
    try:
        batch = cache.check_documents_cached(paths, None, root)
        queue.put(len(batch.stats.misses))
    except BaseException as exc:            # reported to the test, not swallowed
        queue.put(repr(exc))


def test_a_daemonic_process_such_as_a_dask_worker_checks_in_one_process(tmp_path):
    import multiprocessing

    from factlint import pipeline

    paths = _notes(tmp_path / "notes", pipeline.POOL_MIN_FILES)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_check_in_daemon, args=(paths, tmp_path / "c", queue),
                             daemon=True)
    worker.start()
    outcome = queue.get(timeout=300)
    worker.join(timeout=60)
    assert outcome == len(paths)            # a pool here would raise "daemonic processes ..."


def test_loading_pauses_the_garbage_collector_and_restores_it(corpus, tmp_path, monkeypatch):
    import gc

    notes, vocab, reference = corpus
    paths = sorted(notes.glob("*.md"))
    run(paths, tmp_path / "c", CountingCheck(), vocab_dir=vocab, reference_dir=reference)
    during = []
    real_get = cache.DocumentCache.get
    monkeypatch.setattr(cache.DocumentCache, "get",
                        lambda self, *a: during.append(gc.isenabled()) or real_get(self, *a))
    assert gc.isenabled()
    second = run(paths, tmp_path / "c", CountingCheck(), vocab_dir=vocab, reference_dir=reference)
    assert during == [False] * 3 and gc.isenabled() and len(second.stats.hits) == 3
    gc.disable()
    try:
        run(paths, tmp_path / "c", CountingCheck(), vocab_dir=vocab, reference_dir=reference)
        assert not gc.isenabled()           # a caller's own setting is left as it was
    finally:
        gc.enable()
