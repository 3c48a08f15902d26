"""``[tool.factlint]`` from the nearest pyproject.toml, validated, as frozen Settings.

Keys (anything else is a ConfigError naming the key, which the CLI turns into exit code 2)::

    [tool.factlint]
    paths = ["data/raw"]                 # what `factlint check` reads when given no paths
    exclude = ["data/raw/drafts/*"]      # notes never checked in a folder walk (and, with
                                         # --force-exclude, when named on the command line)
    select = ["cross-table"]             # only these rules (default: all)
    ignore = ["forecast"]                # never these rules
    severity = { range-order = "error" } # per-rule severity: error | warning | info
    fail-on = "error"                    # error | warning | info | never
    vocabulary = ["vocab/extra.yaml"]    # extra vocabulary files, after the built-in ones
    reference = "kb"                     # folder of the reference knowledge base (default: built-in)
    reference-files = ["ours.yaml"]      # your own sources (YAML / CSV / Parquet), added to it
    [tool.factlint.rules.forecast]       # options for one rule
    labels = ["outlook"]

Relative paths are relative to the pyproject.toml that names them. Rule ids are checked against
the registry, and options against what the rule module declares: ``OPTIONS = {"name": type,
list[type] or (allowed, values)}``. A module that declares none takes none, so an option for it
(a typo, or an option it never had) is an error, not ignored.
"""
from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import GenericAlias, MappingProxyType
from typing import Any, Iterable, Mapping

from factlint.errors import ConfigError
from factlint.findings import FAIL_ON, Severity

SECTION = "tool.factlint"
KEYS = ("paths", "exclude", "select", "ignore", "severity", "fail-on", "vocabulary", "reference", "reference-files", "rules")
_EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class Settings:
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()                      # globs of notes never checked (fnmatch, `*` spans folders)
    select: tuple[str, ...] = ()                       # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: _EMPTY)   # rule -> override
    fail_on: str = "error"
    vocabulary: tuple[str, ...] = ()                   # extra vocabulary YAML files
    reference: str | None = None                       # knowledge-base folder (None: built-in)
    reference_files: tuple[str, ...] = ()              # the user's own sources, added to it
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _EMPTY)
    config_file: str | None = field(default=None, compare=False, repr=False)

    def __hash__(self) -> int:
        # Mappings are not hashable; hash what equality compares, in a canonical order.
        options = sorted((rule, sorted(map(repr, opts.items()))) for rule, opts in self.rule_options.items())
        return hash((self.paths, self.exclude, self.select, self.ignore, tuple(sorted(self.severity.items())),
                     self.fail_on, self.vocabulary, self.reference, self.reference_files, repr(options)))

    def rule_enabled(self, rule_id: str) -> bool:
        return (not self.select or rule_id in self.select) and rule_id not in self.ignore

    def enabled_rule_ids(self, registry: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        return tuple(r for r in sorted(_registry(registry)) if self.rule_enabled(r))

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        return self.severity.get(rule_id, default)

    def options_for(self, rule_id: str) -> Mapping[str, Any]:
        return self.rule_options.get(rule_id, _EMPTY)

    def absolute(self) -> "Settings":
        """The same settings with every path absolute, for work that leaves this process (a
        Dask worker has its own working directory)."""
        def each(paths: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(os.path.abspath(p) for p in paths)

        return replace(self, paths=each(self.paths), exclude=each(self.exclude),
                       vocabulary=each(self.vocabulary), reference_files=each(self.reference_files),
                       reference=os.path.abspath(self.reference) if self.reference else None)

    def check_rule_ids(self, registry: Mapping[str, Any] | None = None) -> None:
        """ConfigError for a rule id the registry does not know. ``load_config`` calls this
        when rules are registered; callers that load rules later can call it then."""
        registry = _registry(registry)
        if not registry:
            return
        named = [("select", r) for r in self.select] + [("ignore", r) for r in self.ignore] + \
                [("severity", r) for r in self.severity] + [("rules", r) for r in self.rule_options]
        for key, rule_id in named:
            _check_rule_id(rule_id, registry, self._where(key))
        for rule_id, options in self.rule_options.items():
            _check_options(rule_id, options, registry[rule_id],
                           f"{self.config_file or 'settings'}: [{SECTION}.rules.{rule_id}]")

    def _where(self, key: str) -> str:
        return f"{self.config_file or 'settings'}: {SECTION}.{key}"


def _check_rule_id(rule_id: str, registry: Mapping[str, Any], where: str) -> None:
    if registry and rule_id not in registry:
        raise ConfigError(f"{where}: unknown rule {rule_id!r} (`factlint rules` lists them)")


def _registry(registry: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if registry is not None:
        return registry
    from factlint.rules import load_rules

    return load_rules()


def load_config(start: str | Path | None = None, *, paths: Iterable[str] | None = None,
                select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                severity: Mapping[str, str] | None = None, fail_on: str | None = None,
                vocabulary: Iterable[str] | None = None, reference: str | None = None,
                rule_options: Mapping[str, Mapping[str, Any]] | None = None) -> Settings:
    """Settings from ``start`` (a pyproject.toml, or a folder to search upwards from; default the
    working directory), then the overrides: ``select``, ``paths``, ``fail_on``, ``vocabulary``
    and ``reference`` replace the file's value, ``ignore`` adds to it, ``severity`` and
    ``rule_options`` are merged over it."""
    select, ignore, paths, vocabulary = (None if v is None else list(v)
                                         for v in (select, ignore, paths, vocabulary))
    config_file = find_config(start)
    settings = parse_table(read_table(config_file) if config_file else {}, config_file)
    cli = "command line"
    registry = _registry(None)
    named = {"select": select, "ignore": ignore, "severity": severity, "rules": rule_options}
    for key, rule_ids in named.items():          # blame the command line before the file
        for rule_id in rule_ids or ():
            _check_rule_id(rule_id, registry, f"{cli}: {key}")
    changes: dict[str, Any] = {}
    if paths is not None:
        changes["paths"] = _strings(paths, f"{cli}: paths")
    if select is not None:
        changes["select"] = _strings(select, f"{cli}: select")
    if ignore is not None:
        changes["ignore"] = _unique(settings.ignore + _strings(ignore, f"{cli}: ignore"))
    if severity is not None:
        changes["severity"] = MappingProxyType({**settings.severity,
                                                **_severities(dict(severity), f"{cli}: severity")})
    if fail_on is not None:
        changes["fail_on"] = _fail_on(fail_on, f"{cli}: fail-on")
    if vocabulary is not None:
        changes["vocabulary"] = _files(_strings(vocabulary, f"{cli}: vocabulary"), None,
                                       f"{cli}: vocabulary")
    if reference is not None:
        changes["reference"] = _folder(reference, None, f"{cli}: reference")
    if rule_options is not None:
        merged = {**settings.rule_options, **_rule_tables(dict(rule_options), f"{cli}: rules")}
        changes["rule_options"] = MappingProxyType(merged)
    settings = replace(settings, **changes)
    settings.check_rule_ids(registry)
    return settings


def find_config(start: str | Path | None = None) -> Path | None:
    """The pyproject.toml to read: ``start`` itself when it is a file, else the nearest one at
    or above the folder that has a [tool.factlint] table (as ruff finds [tool.ruff])."""
    start = Path(start) if start is not None else Path.cwd()
    if start.is_file():
        return start
    if not start.exists():
        raise ConfigError(f"{start}: no such configuration file or folder")
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_section(candidate):
            return _display(candidate)
    return None


def project_dir(settings: Settings | None = None) -> Path:
    """The project being checked, where a run keeps its state (the result cache, Prefect's
    database): the folder of the pyproject.toml with [tool.factlint] that configured it, else
    the nearest one above the working directory, else the working directory. Never the folder
    the engine is installed in: one project's run must not write into another checkout, or into
    site-packages."""
    config_file = settings.config_file if settings is not None else None
    if config_file is None:
        try:
            config_file = find_config()
        except ConfigError:         # an unreadable pyproject.toml: load_config reports it
            config_file = None
    return Path(os.path.abspath(config_file)).parent if config_file else Path.cwd()


def _has_section(path: Path) -> bool:
    return "factlint" in read_toml(path).get("tool", {})


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text: expected a pyproject.toml (UTF-8 TOML with a "
                          f"[{SECTION}] table)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_table(path: Path) -> dict[str, Any]:
    table = read_toml(path).get("tool", {}).get("factlint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {SECTION} must be a table")
    return table


def parse_table(table: Mapping[str, Any], config_file: Path | None = None) -> Settings:
    """Validate one [tool.factlint] table; every error names the offending key."""
    def where(key: str) -> str:
        return f"{config_file or 'settings'}: {SECTION}.{key}"

    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where(unknown[0])}: unknown key (known: {', '.join(KEYS)})")
    base = config_file.parent if config_file else None
    values: dict[str, Any] = {"config_file": str(config_file) if config_file else None}
    if "paths" in table:
        values["paths"] = tuple(_relative(p, base) for p in _strings(table["paths"], where("paths")))
    if "exclude" in table:
        values["exclude"] = tuple(_relative(p, base) for p in _strings(table["exclude"], where("exclude")))
    if "select" in table:
        values["select"] = _strings(table["select"], where("select"))
    if "ignore" in table:
        values["ignore"] = _strings(table["ignore"], where("ignore"))
    if "severity" in table:
        values["severity"] = MappingProxyType(_severities(table["severity"], where("severity")))
    if "fail-on" in table:
        values["fail_on"] = _fail_on(table["fail-on"], where("fail-on"))
    if "vocabulary" in table:
        values["vocabulary"] = _files(_strings(table["vocabulary"], where("vocabulary")), base,
                                      where("vocabulary"))
    if "reference" in table:
        values["reference"] = _folder(table["reference"], base, where("reference"))
    if "reference-files" in table:
        values["reference_files"] = _reference_files(table["reference-files"], base, where("reference-files"))
    if "rules" in table:
        values["rule_options"] = MappingProxyType(_rule_tables(table["rules"], where("rules")))
    return Settings(**values)


# --------------------------------------------------------------------------- value checks

def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return _unique(tuple(v.strip() for v in value))


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _severities(value: Any, where: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of rule = \"error|warning|info\"")
    allowed = [s.value for s in Severity]
    out = {}
    for rule_id, level in value.items():
        if level not in allowed:
            raise ConfigError(f"{where}.{rule_id}: {level!r} is not one of {', '.join(allowed)}")
        out[rule_id] = Severity(level)
    return out


def _fail_on(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in FAIL_ON:      # a list is unhashable: not `in` a set
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(FAIL_ON)}")
    return value


def _files(values: tuple[str, ...], base: Path | None, where: str) -> tuple[str, ...]:
    out = []
    for value in values:
        path = _relative(value, base)
        if not Path(path).is_file():
            raise ConfigError(f"{where}: {value!r}: no such file")
        out.append(path)
    return tuple(out)


REFERENCE_SUFFIXES = (".yaml", ".yml", ".csv", ".parquet")


def _reference_files(value: Any, base: Path | None, where: str) -> tuple[str, ...]:
    """The user's reference files: YAML, CSV or Parquet records of the knowledge base's shape."""
    files = _files(_strings(value, where), base, where)
    for file in files:
        if Path(file).suffix.lower() not in REFERENCE_SUFFIXES:
            raise ConfigError(f"{where}: {file!r}: a reference file is {', '.join(REFERENCE_SUFFIXES)}")
    return files


def _folder(value: Any, base: Path | None, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a folder path, got {value!r}")
    path = _relative(value.strip(), base)
    if not Path(path).is_dir():
        raise ConfigError(f"{where}: {value!r}: no such folder")
    return path


def _rule_tables(value: Any, where: str) -> dict[str, Mapping[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{where}: expected [{SECTION}.rules.<rule-id>] tables of options")
    return {rule_id: MappingProxyType(dict(options)) for rule_id, options in value.items()}


def _check_options(rule_id: str, options: Mapping[str, Any], spec: Any, where: str) -> None:
    """Each option against what the rule module declares in ``OPTIONS``; a module that declares
    nothing takes no options (an option given for it would be ignored without a word)."""
    declared = getattr(sys.modules.get(spec.module), "OPTIONS", None) or {}
    for name, value in options.items():
        if name not in declared:
            raise ConfigError(f"{where} {name}: unknown option; {_takes(rule_id, declared)}")
        kind = declared[name]
        if not _fits(value, kind):
            raise ConfigError(f"{where} {name}: expected {_describe(kind)}, got {value!r}")


def _takes(rule_id: str, declared: Mapping[str, Any]) -> str:
    if not declared:
        return f"{rule_id} takes no options"
    return f"{rule_id} takes: " + ", ".join(f"{name} ({_describe(kind)})" for name, kind in sorted(declared.items()))


def _fits(value: Any, kind: Any) -> bool:
    if isinstance(kind, tuple):                     # allowed values
        return value in kind
    if isinstance(kind, GenericAlias) and kind.__origin__ is list:      # list[str]: every item too
        return isinstance(value, list) and all(_fits(item, kind.__args__[0]) for item in value)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


_KINDS = {float: "a number", int: "a whole number", str: "a string", bool: "true or false",
          list: "a list", dict: "a table"}


def _describe(kind: Any) -> str:
    if isinstance(kind, tuple):
        return "one of " + ", ".join(map(repr, kind))
    if isinstance(kind, GenericAlias) and kind.__origin__ is list:
        return f"a list of {_describe(kind.__args__[0]).removeprefix('a ')}s"
    return _KINDS.get(kind, getattr(kind, "__name__", str(kind)))


# --------------------------------------------------------------------------- paths

def in_scope(path: str | Path, settings: Settings, *, named: bool = False) -> bool:
    """Whether a note is one the configuration checks: it matches no `exclude` glob and, for a
    file named on the command line (`named`, as pre-commit names every changed file), it lies
    under one of `paths` when paths are configured. Like ruff's --force-exclude."""
    import fnmatch

    absolute = os.path.abspath(path)
    if any(fnmatch.fnmatchcase(absolute, os.path.abspath(pattern)) for pattern in settings.exclude):
        return False
    if not named or not settings.paths:
        return True
    return any(absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep)
               for root in (os.path.abspath(p) for p in settings.paths))


def _relative(value: str, base: Path | None) -> str:
    """A configured path resolved against the config file's folder, shown relative to the
    working directory when it lies below it (so reports never carry absolute paths needlessly)."""
    path = Path(value)
    if not path.is_absolute() and base is not None:
        path = base / path
    return str(_display(path))


def _display(path: Path) -> Path:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute
