"""Precision and recall of appearance detection (issue 19) on the English corpora beside the checkout, labelled
in tests/appearance_labels.tsv, and on invented reports held out while the rules were written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.classify import CORPUS, CORPUS_OLDER
from benchmarks.report import Section
from monitor.classify import Classifier
from monitor.classify.appearances import find_appearances
from monitor.classify.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "appearance_labels.tsv"
HELDOUT = REPO / "tests" / "fixtures" / "appearances" / "invented-heldout.jsonl"
TARGET = 0.95


@dataclass
class Score:
    """Counts of (item, person) appearances found and labelled."""

    items: int = 0
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        """Appearances found that are labelled."""
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        """Labelled appearances found."""
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    def add(self, found: set[str], wanted: set[str]) -> None:
        """Count one item."""
        self.items += 1
        self.true_pos += len(found & wanted)
        self.false_pos += len(found - wanted)
        self.false_neg += len(wanted - found)


def read_labels(path: Path = LABELS) -> dict[str, set[str]]:
    """Item id -> the people labelled as appearing ('-' is nobody)."""
    labels: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item_id, _, people = line.partition("\t")
        labels[item_id] = set() if people.strip() == "-" else {p.strip() for p in people.split(";") if p.strip()}
    return labels


def _found(gaz: Gazetteer, row: dict[str, object]) -> set[str]:
    when = date.fromisoformat(str(row["date"])) if row.get("date") else None
    return {a.person for a in find_appearances(str(row.get("title") or ""), str(row.get("lead") or ""), gaz, when)}


def score_corpus(gaz: Gazetteer, path: Path, labels: dict[str, set[str]]) -> Score:
    """Score every item of a corpus file (items not labelled show nobody)."""
    score = Score()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        score.add(_found(gaz, row), labels.get(str(row["id"]), set()))
    return score


def score_invented(gaz: Gazetteer, path: Path = HELDOUT) -> Score:
    """Score the invented reports (each with its `appearances`)."""
    score = Score()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "title" in row:
            score.add(_found(gaz, row), set(row["appearances"]))
    return score


def run(quick: bool = False) -> Section:
    """Precision and recall of (item, person) appearances per labelled set."""
    section = Section("Appearance detection", ["labelled set", "items", "appearances labelled", "precision",
                                               "recall"])
    gaz = Classifier.load().gazetteer
    labels = read_labels()
    sets = [("2023-26 (../shared/corpus/kcna-real-labeled.jsonl)", CORPUS, True),
            ("2011-24 (../shared/corpus/kcna-2011-2024-labeled.jsonl)", CORPUS_OLDER, True)]
    for name, path, target in sets:
        if not path.exists():
            section.notes.append(f"{path} was not found: not measured.")
            continue
        s = score_corpus(gaz, path, labels)
        _report(section, name, s, target, path.stem.replace("-", "_"))
    _report(section, "invented, held out (tests/fixtures/appearances/invented-heldout.jsonl)", score_invented(gaz),
            True, "appearances_invented")
    section.notes.append("Labels: tests/appearance_labels.tsv (ids and people only). The Korean corpus is not "
                         "measured: the gazetteer's names are romanized.")
    return section


def _report(section: Section, name: str, s: Score, target: bool, key: str) -> None:
    section.rows.append([name, str(s.items), str(s.true_pos + s.false_neg), f"{s.precision:.3f}", f"{s.recall:.3f}"])
    section.figures.update({f"{key}_appearance_precision": s.precision, f"{key}_appearance_recall": s.recall})
    if target:
        short = name.split(" ")[0].rstrip(",")
        section.check(f"{short}: appearance precision >= {TARGET} ({s.precision:.3f}) and recall >= {TARGET} "
                      f"({s.recall:.3f})", s.precision >= TARGET and s.recall >= TARGET)
