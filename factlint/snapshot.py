"""The engine's reference data, loaded and validated once per content: a snapshot in the project cache.

Loading the vocabulary and the knowledge base reads their YAML and validates every record with
its pandera schema, and that needs pandas and pandera imported: most of a one-note check's
start. What comes out depends only on the bytes of those files and on factlint's own code, so
once a load succeeded its result is kept as plain JSON data in

    <user cache>/engine-<key[:32]>.json   ($FACTLINT_CACHE_DIR, else $XDG_CACHE_HOME/factlint,
                                          ~/.cache/factlint, or %LOCALAPPDATA%/factlint)

in the user's cache folder, not the project's: what a snapshot holds depends on factlint and the
reference files (all in its key), never on the project, and `factlint check` leaves nothing in
the folder it checks (a pre-commit hook's checkout stays clean).

where the key hashes factlint's version and engine source, every vocabulary file and every
file of the reference folder, and the user's own reference files, by content and path. A later
start with the same key reads the snapshot in milliseconds and validates nothing again (it was
validated when it was written). Any changed byte is another key: a fresh load, validated, and
a bad file is still the load's ConfigError (exit 2) naming the file and the record; nothing is
written for it.

JSON and not pickle: the cache lives in the project's folder, where anyone who can write the
project can put a file, and loading a pickle runs code; a JSON snapshot can at most hold data,
which the same person could put in the reference files themselves. A snapshot that is torn,
of another shape or unreadable counts as absent; one that cannot be written is skipped (a
read-only checkout is checked as before, at the cold cost).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from factlint.atomic import replace_file

FORMAT = "1"
PREFIX = "engine-"
KEEP = 8              # snapshots kept (other projects and configurations; ~0.3 MB each)


def reference_data(settings, load: Callable[[], tuple]) -> tuple:
    """(vocabulary, knowledge base or None) for `settings`: from the snapshot of the same key,
    else `load()`, whose result is then written as the snapshot."""
    from factlint.normalise.vocab import VOCAB_DIR

    extra = tuple(str(p) for p in settings.vocabulary)
    try:
        key = snapshot_key(settings, extra, VOCAB_DIR)
    except OSError:                       # a file that cannot be read: the load says which
        return load()
    folder = _folder(settings)
    found = _read(folder, key)
    if found is not None:
        return found
    vocab, kb = load()
    _write(folder, key, extra, vocab, kb)
    return vocab, kb


def snapshot_key(settings, extra_vocabulary: tuple[str, ...], vocab_dir: Path) -> str:
    """Everything a snapshot is built from, hashed: code, vocabulary, reference, by path and content."""
    import factlint
    from factlint.cache import ENGINE_SOURCE_DIRS, NOT_ENGINE, sha256_file, tree_hash
    from factlint.reference.kb import DEFAULT_PATH

    reference = Path(settings.reference) if settings.reference else DEFAULT_PATH
    parts = [FORMAT, factlint.__version__,
             tree_hash(*ENGINE_SOURCE_DIRS, suffixes=(".py",), exclude=NOT_ENGINE),
             str(vocab_dir), tree_hash(vocab_dir)]
    for path in extra_vocabulary:
        parts += [os.path.abspath(path), sha256_file(path) if os.path.isfile(path) else "-"]
    parts += [str(reference.resolve()), tree_hash(reference)]
    for path in settings.reference_files:
        parts += [os.path.abspath(path), sha256_file(path) if os.path.isfile(path) else "-"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _folder(settings) -> Path:
    from factlint.cache import CACHE_ENV

    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / ".cache") / "factlint"


def _entry(folder: Path, key: str) -> Path:
    return folder / f"{PREFIX}{key[:32]}.json"


def _read(folder: Path, key: str):
    try:
        with open(_entry(folder, key), "rb") as handle:
            data = json.loads(handle.read())
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        loaded, kb = _decode(data)
    except FileNotFoundError:
        return None
    except Exception:                     # torn, foreign or unreadable: rebuilt and rewritten
        return None
    from factlint.normalise.vocab import remember_vocabulary

    for extra, vocab in loaded.items():
        remember_vocabulary(extra, vocab)
    return loaded[tuple(data["extra"])], kb


def _encode(extra: tuple[str, ...], vocab, kb) -> dict:
    from factlint.normalise.vocab import load_vocabulary

    vocabularies = [[list(extra), vocab.snapshot()]]
    if extra:                             # the knowledge base and the matcher read the built-in one
        vocabularies.append([[], load_vocabulary(()).snapshot()])
    return {"format": FORMAT, "vocabularies": vocabularies,
            "extra": list(extra), "kb": None if kb is None else kb.snapshot()}


def _decode(data: dict) -> tuple[dict, object]:
    """({extra files: vocabulary}, knowledge base or None) of a snapshot's data."""
    from factlint.normalise.vocab import Vocabulary

    loaded = {tuple(extra): Vocabulary.from_snapshot(state) for extra, state in data["vocabularies"]}
    kb = None
    if data["kb"] is not None:
        from factlint.reference.kb import KnowledgeBase

        built_in = loaded[()].attributes.values()
        kb = KnowledgeBase.from_snapshot(data["kb"], {a.name: a.dimension for a in built_in})
    return loaded, kb


def _same_base(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return (a.all_facts, a.facts_by_key, a.files, a.hash, a.parts, a.clusters, a._names) == \
        (b.all_facts, b.facts_by_key, b.files, b.hash, b.parts, b.clusters, b._names) and \
        [s.snapshot() for s in a.imported] == [s.snapshot() for s in b.imported]


def _write(folder: Path, key: str, extra: tuple[str, ...], vocab, kb) -> None:
    """Write the snapshot, if it reads back as exactly what was loaded: a value JSON cannot
    hold as it is (a date YAML read in a free-text field) leaves the data uncached, not changed."""
    try:
        text = json.dumps({**_encode(extra, vocab, kb), "key": key}, ensure_ascii=False, separators=(",", ":"))
        loaded, again = _decode(json.loads(text))
    except (TypeError, ValueError):
        return
    if loaded[extra] != vocab or not _same_base(again, kb):
        return
    try:
        replace_file(_entry(folder, key), text.encode("utf-8"))
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the KEEP newest snapshots: each change of the code or the data makes a new one."""
    entries = sorted(folder.glob(f"{PREFIX}*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
