"""Classifier accuracy on the real labelled corpora beside the checkout: what `monitor eval` measures (issue 16)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.classify import CORPUS, CORPUS_OLDER
from benchmarks.report import Section
from monitor.classify import Classifier
from monitor.classify.evaluate import EvalReport, evaluate, load_labeled

REPO = Path(__file__).resolve().parents[1]
#: invented items written before the rules were tuned and never developed against (tests/fixtures/classify)
HELDOUT = REPO / "tests" / "fixtures" / "classify" / "invented-heldout.jsonl"


def _row(name: str, full: EvalReport, bare: EvalReport) -> list[str]:
    office = bare.office_named
    return [name, str(full.items), f"{full.foreign.f1:.3f}",
            f"{full.high_level.precision:.3f} / {full.high_level.recall:.3f}",
            f"{full.participants_found:.1%} of {full.high_level_meetings}", str(len(full.out_of_term)),
            f"{office.recall:.3f} ({office.support})" if office is not None else "-"]


def run(quick: bool = False) -> Section:
    """Per corpus: F1 of foreign relations, high-level precision and recall, participants, participants out of
    their term, and high-level recall without the named officials on items that name the office."""
    section = Section("Classifier accuracy", ["labelled file", "items", "meeting or diplomatic vs domestic F1",
                                              "high-level meeting P / R", "every participant found",
                                              "participants outside the holder's term",
                                              "--no-gazetteer: high-level recall where the office is named"])
    full, bare = Classifier.load(), Classifier.load(officials=False)
    sets = [("2023-26 (../shared/corpus/kcna-real-labeled.jsonl)", CORPUS, True),
            ("2011-24 (../shared/corpus/kcna-2011-2024-labeled.jsonl)", CORPUS_OLDER, True),
            ("invented, held out (tests/fixtures/classify/invented-heldout.jsonl)", HELDOUT, False)]
    for name, path, target in sets:
        if not path.exists():
            section.notes.append(f"{path} was not found: not measured.")
            continue
        rows = load_labeled(path)
        report, without = evaluate(full, rows), evaluate(bare, rows)
        section.rows.append(_row(name, report, without))
        key = path.stem.replace("-", "_")
        section.figures.update({f"{key}_foreign_f1": report.foreign.f1,
                                f"{key}_high_level_precision": report.high_level.precision,
                                f"{key}_high_level_recall": report.high_level.recall,
                                f"{key}_participants_found": report.participants_found})
        if not target:
            continue
        short = name.split(" ")[0]
        section.check(f"{short}: meeting or diplomatic vs domestic F1 >= 0.97 ({report.foreign.f1:.3f})",
                      report.foreign.f1 >= 0.97)
        section.check(f"{short}: high-level precision >= 0.97 ({report.high_level.precision:.3f}) and recall "
                      f">= 0.95 ({report.high_level.recall:.3f})",
                      report.high_level.precision >= 0.97 and report.high_level.recall >= 0.95)
        section.check(f"{short}: every participant found for >= 90% of high-level meetings "
                      f"({report.participants_found:.1%})", report.participants_found >= 0.9)
        section.check(f"{short}: no participant outside the holder's term ({len(report.out_of_term)})",
                      not report.out_of_term)
        office = without.office_named
        if office is not None:
            section.check(f"{short}: without the named officials, high-level recall >= 0.85 where the title or "
                          f"lead names the office ({office.recall:.3f})", office.recall >= 0.85)
    section.notes.append(
        "The same figures, with the confusion matrix and every miss: `monitor eval FILE` and "
        "`monitor eval --no-gazetteer FILE`. The corpora are read at run time; no corpus text is in the project.")
    return section
