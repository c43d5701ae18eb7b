"""`monitor import FILE`: items from an archive file (JSON lines or CSV), stored like polled ones.

Each row needs a title, a URL or an id, and a date (`YYYY-MM-DD`, any date format of the sites, or a Unix time
in seconds or milliseconds); `text` and `source` are optional. A JSON file may also be one array of objects, and
the field names of public archives are understood too (`headline`, `link`, `story_text`, `outlet`).

Rows are deduplicated against the store (by URL, and by title and date under any URL)
and within the file, classified, indexed for search, attached to meeting events, and read for appearances and
lists of names (the history absences and ranks compare with). An imported meeting is
old news when published more than `[alerts.rules] max_age_days` before it was imported: it raises no alert.
A row that cannot be read is skipped with a warning naming its line; the rest of the file is imported.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from monitor.alerts.channels import enabled_channels
from monitor.alerts.rules import queue_meeting
from monitor.alerts.signals import NewItem as SignalItem
from monitor.alerts.signals import record_item
from monitor.classify import Classifier
from monitor.config import Settings
from monitor.language import detect_language
from monitor.normalize import canonical_url, content_hash, folded_item_key, folded_story_key, key_fold, normalize_text
from monitor.sources.dates import parse_date
from monitor.sources.limits import MAX_BODY, MAX_TITLE, MAX_URL, cut_text
from monitor.store import Store, korean, runs, utcnow

Format = Literal["auto", "jsonl", "csv"]
#: Rows per transaction: a crash loses at most this many, and the next import stores them (rows already stored
#: are found again and skipped).
BATCH = 2000
MAX_WARNINGS = 50
MAX_SOURCE = 100


class ImportFileError(Exception):
    """The file cannot be read at all (missing, not UTF-8, no usable columns)."""


@dataclass(frozen=True)
class Row:
    """One readable row of the file."""

    line: int
    title: str
    url: str
    published: date
    text: str | None
    source: str


@dataclass
class Outcome:
    """What an import did: rows read, items stored, duplicates, rows skipped (with the first warnings)."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    meetings: int = 0
    alerts: int = 0
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Count a skipped row and keep its warning (the first MAX_WARNINGS)."""
        self.skipped += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)


def _format_of(path: Path, fmt: Format) -> Literal["jsonl", "csv"]:
    if fmt != "auto":
        return fmt
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl"


def _records(path: Path, fmt: Literal["jsonl", "csv"], outcome: Outcome) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of each row; a line that is not a JSON object is skipped with a warning."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot open: {exc.strerror}") from None
    with handle:
        try:
            if fmt == "csv":
                dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
                reader = csv.DictReader(handle, dialect=dialect)
                columns = {c.strip().lower() for c in reader.fieldnames or []}
                def has(name: str) -> bool:
                    return bool(columns & set(ALIASES[name]))

                if not has("title") or not (has("url") or has("id")) or not has("date"):
                    raise ImportFileError(f"{path}: the CSV header needs title, url or id, and date columns "
                                          f"(found: {', '.join(sorted(columns)) or 'none'})")
                for record in reader:
                    yield reader.line_num, {str(k).strip().lower(): v for k, v in record.items() if k is not None}
                return
            head = handle.read(1)
            while head.isspace():
                head = handle.read(1)
            if head == "[":  # one JSON array of objects (as public archives publish them)
                try:
                    records = json.loads(head + handle.read())
                except json.JSONDecodeError as exc:
                    raise ImportFileError(f"{path}: not a JSON array: {exc.msg} at line {exc.lineno}") from None
                except RecursionError:
                    raise ImportFileError(f"{path}: JSON nested too deep to be an archive of rows") from None
                for number, record in enumerate(records if isinstance(records, list) else [], 1):
                    if isinstance(record, dict):
                        yield number, {str(k).lower(): v for k, v in record.items()}
                    else:
                        outcome.warn(f"record {number}: not a JSON object")
                return
            handle.seek(0)
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    outcome.warn(f"line {number}: not JSON ({exc.msg})")
                    continue
                except RecursionError:
                    outcome.warn(f"line {number}: JSON nested too deep to be a row")
                    continue
                if not isinstance(record, dict):
                    outcome.warn(f"line {number}: not a JSON object")
                    continue
                yield number, {str(k).lower(): v for k, v in record.items()}
        except UnicodeDecodeError:
            raise ImportFileError(f"{path}: not UTF-8 text") from None
        except csv.Error as exc:
            raise ImportFileError(f"{path}: not readable as CSV: {exc}") from None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


#: The names a field goes by in the files of public archives, in order of preference.
ALIASES = {"title": ("title", "headline"), "url": ("url", "link"), "id": ("id",),
           "date": ("date", "published", "pubdate"), "text": ("text", "story_text", "body"),
           "source": ("source", "outlet")}


def _field(record: dict[str, Any], name: str) -> Any:
    return next((record[k] for k in ALIASES[name] if record.get(k) not in (None, "")), None)


def _day(value: Any) -> date | None:
    """A date from text in any site format, or from a Unix time in seconds or milliseconds (UTC)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = _text(value)
    if text.isdigit() and len(text) in (10, 13):
        return _day(int(text))
    return parse_date(text) if text else None


def _row(number: int, record: dict[str, Any], label: str | None, outcome: Outcome) -> Row | None:
    """The row, or None (with a warning) when it lacks a title, a URL or id, or a readable date."""
    title = cut_text(normalize_text(_text(_field(record, "title"))[:MAX_TITLE * 4]), MAX_TITLE)
    url, ident = _text(_field(record, "url")), _text(_field(record, "id"))
    day_value = _field(record, "date")
    day_text = _text(day_value)
    source = label or _text(_field(record, "source")) or "import"
    if not title:
        outcome.warn(f"line {number}: no title")
        return None
    published = _day(day_value)
    if published is None:
        outcome.warn(f"line {number}: no readable date ({day_text[:40]!r})")
        return None
    if url.lower().startswith(("http://", "https://")):
        url = canonical_url(url)
    elif ident:
        url = f"urn:monitor:{source}:{ident}"
    else:
        outcome.warn(f"line {number}: neither an http(s) url nor an id")
        return None
    if len(url) > MAX_URL:
        outcome.warn(f"line {number}: a URL or id of {len(url):,} characters")
        return None
    text = cut_text(_text(_field(record, "text")), MAX_BODY) or None
    return Row(number, title, url, published, text, source[:MAX_SOURCE])


def import_file(settings: Settings, store: Store, classifier: Classifier, path: Path, *,
                source: str | None = None, fmt: Format = "auto",
                on_progress: Callable[[Outcome], None] | None = None) -> Outcome:
    """Import `path` into the store, BATCH rows per transaction; the outcome counts what happened to each row."""
    outcome = Outcome()
    batch: list[Row] = []
    channels = enabled_channels(settings)
    for number, record in _records(path, _format_of(path, fmt), outcome):
        outcome.read += 1
        row = _row(number, record, source, outcome)
        if row is None:
            continue
        batch.append(row)
        if len(batch) >= BATCH:
            _store(settings, store, classifier, batch, channels, outcome)
            batch = []
            if on_progress is not None:
                on_progress(outcome)
    if batch:
        _store(settings, store, classifier, batch, channels, outcome)
    if on_progress is not None:
        on_progress(outcome)
    return outcome


def _store(settings: Settings, store: Store, classifier: Classifier, batch: list[Row],
           channels: list[str], outcome: Outcome) -> None:
    """One batch in one transaction: rows new by URL and by key are classified and stored, the rest counted."""
    keyed = []
    # URLs repeated within the batch are skipped here (those of earlier batches are in the store already); a repeat
    # by title and date under another URL adds that URL to the item, below
    seen: set[str] = set()
    for row in batch:
        if row.url in seen:
            outcome.duplicates += 1
            continue
        seen.add(row.url)
        folded = key_fold(row.title)
        keyed.append((row, folded, folded_item_key(folded, row.published.isoformat())))
    known_urls = runs.known_by_url(store, [row.url for row, _, _ in keyed])
    rules = settings.alerts.rules
    with store.transaction() as db:
        now = utcnow()
        for row, folded, key in keyed:
            if row.url in known_urls:
                outcome.duplicates += 1
                continue
            cls = classifier.classify(row.title, row.text, published=row.published)
            day = row.published.isoformat()
            item = runs.NewItem(key, row.source, row.url, row.title, day, None, row.text, row.source,
                                content_hash(row.title, row.text), folded_story_key(folded, day), cls.category,
                                cls.high_level, cls.participants, cls.countries, cls.confidence, cls.reasons,
                                classifier.version, row.text is not None)
            item_id = runs.insert_item(db, item, now)
            if item_id is None:  # the same title and date is stored under another URL: it gains this one
                outcome.duplicates += 1
                runs.add_url(db, row.url, runs.item_id_of_key(db, key), row.source, row.source, now)
                continue
            runs.add_url(db, row.url, item_id, row.source, row.source, now)
            korean.set_language(db, item_id, detect_language(row.title, row.text, None))
            outcome.stored += 1
            outcome.alerts += record_item(db, settings, channels, classifier.gazetteer, SignalItem(
                item_id, row.title, row.text, row.published, row.url, row.source, cls.category), cls, now, live=False)
            if cls.category == "meeting":
                outcome.meetings += 1
                outcome.alerts += queue_meeting(db, rules, channels, item_id, row.title, row.published, cls, now,
                                                live=False)
