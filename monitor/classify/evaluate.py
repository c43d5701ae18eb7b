"""Measuring the classifier on a labeled file, and classifying JSON lines (`monitor eval`, `monitor classify`)."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from monitor.classify.classifier import Classification, Classifier
from monitor.classify.gazetteer import Gazetteer
from monitor.classify.names import canonical_name
from monitor.classify.text import words

CLASSES = ("meeting", "diplomatic", "domestic")


def _text_of(row: dict[str, Any]) -> str | None:
    for key in ("text", "lead", "teaser", "body"):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _date_of(row: dict[str, Any]) -> date | None:
    for key in ("published", "date"):
        value = row.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
    return None


def load_labeled(path: Path) -> list[dict[str, Any]]:
    """Labeled JSON lines (title, lead/text/teaser, label, high_level, participants); ValueError names a bad line."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("title"), str):
                raise ValueError(f"line {n}: expected an object with a string `title`")
            if row.get("label") not in CLASSES:
                raise ValueError(f"line {n}: `label` must be one of {', '.join(CLASSES)}")
            row.setdefault("id", f"line{n}")
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one decision, with its counts."""

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


def _scores(pred: list[bool], gold: list[bool]) -> Scores:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    npred, ngold = sum(pred), sum(gold)
    prec = tp / npred if npred else 0.0
    rec = tp / ngold if ngold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return Scores(round(prec, 4), round(rec, 4), round(f1, 4), ngold, npred)


@dataclass
class EvalReport:
    """Everything `monitor eval` prints."""

    items: int
    per_class: dict[str, Scores]
    confusion: dict[str, dict[str, int]]          # gold -> predicted -> count
    foreign: Scores                               # meeting or diplomatic vs domestic
    high_level: Scores                            # high-level meetings
    participants_found: float                     # share of gold high-level meetings with every participant found
    high_level_meetings: int
    items_per_second: float
    misses: list[dict[str, Any]] = field(default_factory=list)
    office_named: Scores | None = None            # high-level meetings whose title or lead names an office
    out_of_term: list[str] = field(default_factory=list)  # "id: name" resolved from a title outside the term

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


# the words that name an office in a title or lead ("president", "foreign minister", "member of the Political Bureau")
_OFFICE = re.compile(r"\b(?:president|premier|prime minister|minister|chairman|chairwoman|chairperson|king|queen|emir|"
                     r"sultan|secretary|speaker|political bureau|politburo|presidium|head of state|fm|pm)\b",
                     re.IGNORECASE)


# the same in Korean: 대통령, 주석, 총리 / 수상, 외무상, 장관, 정치국 위원, 의장, 국왕
_OFFICE_KO = re.compile(r"대통령|주석|총리|수상|총비서|총서기|위원장|외무상|국방상|외교부장|장관|정치국|의장|국왕")


def names_office(row: dict[str, Any]) -> bool:
    """Whether the title or lead of a labeled row names an office (the subset `--no-gazetteer` is measured on)."""
    text = f"{row.get('title') or ''} {_text_of(row) or ''}"
    return _OFFICE.search(text) is not None or _OFFICE_KO.search(text) is not None


def _written(name: str, gaz: Gazetteer, text: str) -> bool:
    """Whether `name` (or one of its spellings in the gazetteer) is written in `text` (word sequences, any case)."""
    spellings = {name, *(a for post in gaz.by_name.get(name, []) for a in post.aliases)}
    return any(f" {' '.join(words(s))} " in text for s in spellings)


def out_of_term(gaz: Gazetteer, row: dict[str, Any], participants: list[str],
                hangul: dict[str, list[str]] | None = None) -> list[str]:
    """Participants not written in the row but resolved from a title, who held no post on the row's date.

    `hangul`: the Korean spellings of each name (a name written in Hangul is written)."""
    when = _date_of(row)
    if when is None:
        return []
    raw = str(row.get('title') or '') + ' . ' + (_text_of(row) or '')
    text = f" {' '.join(words(raw))} "
    out: list[str] = []
    for name in participants:
        posts = gaz.by_name.get(name)
        if hangul and any(h in raw for h in hangul.get(name, [])):
            continue
        if posts and not _written(name, gaz, text) and not any(p.holds_at(when) for p in posts):
            out.append(name)
    return out


def _spellings(result: Classification) -> dict[str, list[str]]:
    """The Hangul spelling of each participant of a Korean result ({} for an English one)."""
    return {n: [h] for n, h in zip(result.participants, result.participants_hangul, strict=False) if h}


def evaluate(classifier: Classifier, rows: list[dict[str, Any]]) -> EvalReport:
    """Score the classifier on labeled rows (see `load_labeled`)."""
    inputs = [(str(r["title"]), _text_of(r), _date_of(r)) for r in rows]
    t0 = time.perf_counter()
    results = [classifier.classify(t, x, published=d) for t, x, d in inputs]
    elapsed = time.perf_counter() - t0
    gold = [str(r["label"]) for r in rows]
    pred = [c.category for c in results]
    per_class = {k: _scores([p == k for p in pred], [g == k for g in gold]) for k in CLASSES}
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p) for p in CLASSES}
                 for g in CLASSES}
    foreign = _scores([p != "domestic" for p in pred], [g != "domestic" for g in gold])
    gold_hl = [g == "meeting" and bool(r.get("high_level")) for g, r in zip(gold, rows, strict=True)]
    pred_hl = [c.category == "meeting" and c.high_level for c in results]
    high = _scores(pred_hl, gold_hl)
    found_all = 0
    office = [names_office(r) for r in rows]
    office_named = _scores([p and o for p, o in zip(pred_hl, office, strict=True)],
                           [g and o for g, o in zip(gold_hl, office, strict=True)])
    late = [f"{r.get('id')}: {name}" for r, c in zip(rows, results, strict=True)
            for name in out_of_term(classifier.gazetteer, r, c.participants, _spellings(c))]
    misses: list[dict[str, Any]] = []
    for row, res, ghl, phl in zip(rows, results, gold_hl, pred_hl, strict=True):
        missing: list[str] = []
        if ghl:
            predicted = {canonical_name(n) for n in res.participants}
            missing = [n for n in row.get("participants") or [] if canonical_name(n) not in predicted]
            found_all += not missing
        if res.category != row["label"] or ghl != phl or missing:
            misses.append({"id": row.get("id"), "title": row["title"],
                           "gold": row["label"] + (" high" if ghl else ""),
                           "predicted": res.category + (" high" if phl else ""),
                           "missing": missing, "participants": res.participants, "reasons": res.reasons})
    n_hl = sum(gold_hl)
    return EvalReport(len(rows), per_class, confusion, foreign, high, round(found_all / n_hl, 4) if n_hl else 1.0,
                      n_hl, round(len(rows) / elapsed, 1) if elapsed > 0 else 0.0, misses, office_named, late)


def throughput(classifier: Classifier, rows: list[dict[str, Any]], repeat: int = 5) -> float:
    """Items classified per second of process time on one core: the median of `repeat` passes over `rows`.

    `rows` are labeled or plain rows (`title`, optional `lead` / `text` / `teaser` / `body`, `published` / `date`).
    """
    if not rows:
        raise ValueError("no rows to classify")
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    inputs = [(str(r.get("title") or ""), _text_of(r), _date_of(r)) for r in rows]
    classify = classifier.classify
    rates: list[float] = []
    for _ in range(repeat):
        t0 = time.process_time()
        for title, text, published in inputs:
            classify(title, text, published)
        elapsed = time.process_time() - t0
        rates.append(len(inputs) / elapsed if elapsed > 0 else float("inf"))
    return statistics.median(rates)



def classify_lines(classifier: Classifier, lines: Iterable[str]) -> Iterator[str]:
    """JSON lines in (`title`, optional `text`, other keys kept), JSON lines out with the classification added.

    A line that is not a JSON object with a string `title` gives an output line with an "error" key naming the line.
    """
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield json.dumps({"error": f"line {n}: not JSON ({exc.msg})", "line": n})
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("title"), str):
            yield json.dumps({"error": f"line {n}: expected an object with a string `title`", "line": n})
            continue
        text = rec.get("text")
        res = classifier.classify(rec["title"], text if isinstance(text, str) else None, published=_date_of(rec))
        yield json.dumps({**rec, **res.as_dict()}, ensure_ascii=False)
