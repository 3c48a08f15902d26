"""What a note says about itself: title, date (ISO) and version.

Sources, most trusted first: YAML front matter (`title:`, `updated:`/`last_updated:`/
`date:`, `version:`), then short prose lines such as
`> 学习笔记 | 版本：1.0 | 2026-02-03`, `Last updated: 2026-05-10`, `更新时间：2026年5月10日`,
`Version 2.1 (2025-11-30)`. A date counts only when a label introduces it, when it sits
on a line that states a version, or when it is a whole `|`-separated segment of a byline,
so a date inside an ordinary sentence ("launched on 2024-03-01") never becomes the note's
date. "Updated" dates beat other dates: facts are as of the last update.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\d.])(?P<iy>{_YEAR})(?P<sep>[-/.])(?P<im>\d{{1,2}})(?:(?P=sep)(?P<id>\d{{1,2}}))?(?![\d])"
    rf"|(?P<zy>{_YEAR})\s*年\s*(?P<zm>\d{{1,2}})\s*月(?:\s*(?P<zd>\d{{1,2}})\s*[日号])?"
    rf"|\b(?P<ed1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<em1>{_MONTH}),?\s+(?P<ey1>{_YEAR})\b"
    rf"|\b(?P<em2>{_MONTH})\s+(?P<ed2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ey2>{_YEAR})\b"
    rf"|\b(?P<em3>{_MONTH}),?\s+(?P<ey3>{_YEAR})\b",
    re.IGNORECASE)
_BARE_YEAR = re.compile(rf"\s*({_YEAR})\s*")

_UPDATED_LABEL = (r"last[\s_-]*(?:updated|modified|revised)|updated(?:\s+on)?|revised(?:\s+on)?"
                  r"|最后更新(?:时间|日期|于)?|最近更新(?:时间|日期|于)?|更新(?:时间|日期|于)?|修订(?:时间|日期|于)")
_OTHER_LABEL = (r"date|dated|as\s+of|published(?:\s+on)?|created(?:\s+on)?|written(?:\s+on)?"
                r"|日期|创建(?:时间|日期|于)|编写(?:时间|日期|于)|写于|截至|截止(?:日期|到)?")
_LABEL_AT_START = re.compile(rf"(?:(?P<updated>{_UPDATED_LABEL})|(?P<other>{_OTHER_LABEL}))"
                             r"(?![A-Za-z])\s*[:：]?\s*[(（]?\s*", re.IGNORECASE)
_VERSION_LABEL_AT_START = re.compile(
    r"(?:版本号?|修订版|version|ver\.?|revision|rev\.?)(?![A-Za-z])\s*[:：]?\s*v?(?P<version>\d+(?:\.\d+){0,3}[a-z]?)\b"
    r"|v(?P<bare>\d+(?:\.\d+){1,3})\s*$",
    re.IGNORECASE)
_SEGMENT_SEPARATOR = re.compile(r"[|｜·•]|\s[—–]\s")
_SEGMENT_DECORATION = " \t*_>#`~\u3000"
_MAX_METADATA_LINE = 200

_UPDATED_KEYS = ("last_updated", "updated", "lastmod", "last_modified", "modified", "updated_at")
_DATE_KEYS = ("date", "created", "published")
_VERSION_KEYS = ("version", "ver", "revision")

UPDATED, LABELLED, BYLINE = 0, 1, 2     # date ranks: lower wins; ties go to the earlier line


@dataclass(frozen=True, slots=True)
class NoteMetadata:
    title: str | None = None
    date: str | None = None
    version: str | None = None


def note_metadata(front_matter: Mapping, first_h1: str | None,
                  prose_lines: Iterable[str]) -> NoteMetadata:
    """Front matter first, then the prose lines (in document order)."""
    fields = {str(key).strip().lower(): value for key, value in front_matter.items()}
    title = _front_matter_text(fields.get("title")) or first_h1 or None
    fm_date, fm_version = _front_matter_date(fields), _front_matter_version(fields)
    if fm_date and fm_version:
        return NoteMetadata(title, fm_date, fm_version)
    prose_date, prose_version = _prose_date_and_version(prose_lines)
    return NoteMetadata(title, fm_date or prose_date, fm_version or prose_version)


def iso_date(value: object) -> str | None:
    """yyyy-mm-dd / yyyy-mm / yyyy for a date, a year, or the first date written in a string."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if 1900 <= value <= 2099 else None
    if isinstance(value, str):
        first = next(dates_in(value), None)
        if first is not None:
            return first[1]
        year = _BARE_YEAR.fullmatch(value)
        return year.group(1) if year else None
    return None


def dates_in(text: str) -> Iterator[tuple[int, str]]:
    """(offset, ISO date) for every valid date written in `text`."""
    for match in _DATE.finditer(text):
        iso = _iso_from_match(match)
        if iso is not None:
            yield match.start(), iso


def _iso_from_match(match: re.Match) -> str | None:
    g = match.groupdict()
    if g["iy"]:
        year, month, day = g["iy"], g["im"], g["id"]
    elif g["zy"]:
        year, month, day = g["zy"], g["zm"], g["zd"]
    else:
        year = g["ey1"] or g["ey2"] or g["ey3"]
        month = str(_MONTH_NAMES.index((g["em1"] or g["em2"] or g["em3"])[:3].lower()) + 1)
        day = g["ed1"] or g["ed2"]
    try:
        date = dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None                       # 2026-13-45 is not a date
    return date.isoformat() if day else date.isoformat()[:7]


def _prose_date_and_version(lines: Iterable[str]) -> tuple[str | None, str | None]:
    best: tuple[int, str] | None = None
    version = None
    for line in lines:
        if len(line) > _MAX_METADATA_LINE:
            continue
        line_version, line_date = _line_metadata(line)
        version = version or line_version
        if line_date is not None and (best is None or line_date[0] < best[0]):
            best = line_date
        if version and best and best[0] == UPDATED:
            break
    return (best[1] if best else None), version


def _line_metadata(line: str) -> tuple[str | None, tuple[int, str] | None]:
    """(version, (rank, date)) stated by one prose line."""
    version, labelled, bare = None, None, None
    for segment in _SEGMENT_SEPARATOR.split(line):
        segment = segment.strip(_SEGMENT_DECORATION)
        version = version or _segment_version(segment)
        labelled = labelled or _labelled_date(segment)
        if bare is None and _is_whole_date(segment):
            bare = iso_date(segment)
    if labelled:
        return version, labelled
    if version:
        anywhere = next(dates_in(line), None)
        return version, (None if anywhere is None else (LABELLED, anywhere[1]))
    return None, (None if bare is None else (BYLINE, bare))


def _segment_version(segment: str) -> str | None:
    """A version that is all the segment says, apart from a date ("Version 2.1 (2025-11-30)");
    "Version 2 of the chip is faster" is prose about something else."""
    match = _VERSION_LABEL_AT_START.match(segment)
    if match is None:
        return None
    rest = segment[match.end():].strip(" ()（）,，")
    if rest and not _is_whole_date(rest) and not _labelled_date(rest):
        return None
    return match.group("version") or match.group("bare")


def _labelled_date(segment: str) -> tuple[int, str] | None:
    label = _LABEL_AT_START.match(segment)
    if label is None:
        return None
    date = _DATE.match(segment, label.end())
    iso = None if date is None else _iso_from_match(date)
    if iso is None:
        return None
    return (UPDATED if label.group("updated") else LABELLED), iso


def _is_whole_date(segment: str) -> bool:
    date = _DATE.fullmatch(segment.strip("()（）[]"))
    return date is not None and _iso_from_match(date) is not None


def _front_matter_text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _front_matter_date(fields: Mapping[str, object]) -> str | None:
    for key in (*_UPDATED_KEYS, *_DATE_KEYS):
        date = iso_date(fields.get(key))
        if date:
            return date
    return None


def _front_matter_version(fields: Mapping[str, object]) -> str | None:
    for key in _VERSION_KEYS:
        value = fields.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    # Some notes keep a revision number under `updated:`; use it when it is not a date.
    for key in _UPDATED_KEYS:
        value = fields.get(key)
        if isinstance(value, (int, float, str)) and iso_date(value) is None:
            match = _VERSION_LABEL_AT_START.match(f"version {value}".strip())
            if match and match.group("version"):
                return match.group("version")
    return None
