"""Classifier accuracy on the real labelled corpus beside the checkout: what `monitor eval` measures."""

from __future__ import annotations

from benchmarks.classify import CORPUS
from benchmarks.report import Section
from monitor.classify import Classifier
from monitor.classify.evaluate import CLASSES, evaluate, load_labeled


def run(quick: bool = False) -> Section:
    """Per-class precision, recall and F1, high-level meetings and participants, against the issue's targets."""
    section = Section("Classifier accuracy", ["decision", "precision", "recall", "F1", "gold", "predicted"])
    if not CORPUS.exists():
        section.notes.append("The real corpus (../shared/corpus/kcna-real-labeled.jsonl) was not found beside the "
                             "checkout: nothing measured.")
        return section
    report = evaluate(Classifier.load(), load_labeled(CORPUS))
    decisions = [*((k, report.per_class[k]) for k in CLASSES), ("meeting or diplomatic", report.foreign),
                 ("high-level meeting", report.high_level)]
    for name, s in decisions:
        section.rows.append([name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support),
                             str(s.predicted)])
    found = report.participants_found
    section.figures.update(foreign_f1=report.foreign.f1, high_level_precision=report.high_level.precision,
                           high_level_recall=report.high_level.recall, participants_found=found)
    section.check(f"meeting or diplomatic vs domestic: F1 >= 0.95 ({report.foreign.f1:.3f})", report.foreign.f1 >= 0.95)
    section.check(f"high-level meetings: precision >= 0.95 ({report.high_level.precision:.3f}) and recall >= 0.95 "
                  f"({report.high_level.recall:.3f})",
                  report.high_level.precision >= 0.95 and report.high_level.recall >= 0.95)
    section.check(f"every participant found for >= 90% of high-level meetings ({found:.1%} of "
                  f"{report.high_level_meetings})", found >= 0.9)
    section.notes += [
        f"{report.items} items of ../shared/corpus/kcna-real-labeled.jsonl (titles and leads), read at run time; "
        f"{len(report.misses)} misses. The same figures, with the confusion matrix and every miss: "
        "`monitor eval ../shared/corpus/kcna-real-labeled.jsonl`.",
    ]
    return section
