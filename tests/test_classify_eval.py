"""evaluate(), load_labeled(), render_report() and classify_lines(), and the targets on the real labeled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from monitor.classify import Classifier
from monitor.classify.evaluate import classify_lines, evaluate, load_labeled
from monitor.cli.views import render_report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "kcna-real-labeled.jsonl"

ROWS = [
    {"id": "a", "title": "Kim Jong Un Receives Russian Defence Minister",
     "lead": "Kim Jong Un received Andrei Belousov, minister of Defence of the Russian Federation.",
     "label": "meeting", "high_level": True, "participants": ["Kim Jong-un", "Andrei Beloussov"]},
    {"id": "b", "title": "Greetings to Lao President", "lead": "A message of greeting was sent to Laos.",
     "label": "diplomatic", "high_level": False, "participants": []},
    {"id": "c", "title": "Paddy Fields Irrigated", "lead": "Paddy fields are being irrigated across the country.",
     "label": "domestic", "high_level": False, "participants": []},
    {"id": "d", "title": "Chestnut Harvest Brisk", "lead": "Chestnuts are harvested in a county.",
     "label": "diplomatic", "high_level": False, "participants": []},
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def test_evaluate_counts_scores_confusion_and_misses(clf: Classifier) -> None:
    """Scores, the confusion matrix and the misses reflect each row; spelling variants of gold names count."""
    r = evaluate(clf, ROWS)
    assert r.items == 4
    assert r.confusion["meeting"]["meeting"] == 1
    assert r.confusion["diplomatic"]["domestic"] == 1
    assert r.per_class["diplomatic"].recall == 0.5
    assert r.high_level.precision == 1.0 and r.high_level.recall == 1.0
    assert r.participants_found == 1.0
    assert [m["id"] for m in r.misses] == ["d"]
    assert r.items_per_second > 0
    assert json.loads(json.dumps(r.as_dict()))["foreign"]["support"] == 3


def test_render_report_prints_tables(clf: Classifier) -> None:
    """The Rich report shows the scores, the confusion matrix and the misses."""
    console = Console(record=True, width=160)
    render_report(evaluate(clf, ROWS), console)
    out = console.export_text()
    assert "high-level meeting" in out and "Confusion" in out and "Chestnut Harvest Brisk" in out


def test_load_labeled_reads_and_rejects(tmp_path: Path) -> None:
    """load_labeled reads JSON lines and names the line of a bad one."""
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n\n", encoding="utf-8")
    assert [r["id"] for r in load_labeled(good)] == ["a", "b", "c", "d"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ROWS[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        load_labeled(bad)


def test_classify_lines_keeps_keys_and_reports_bad_lines(clf: Classifier) -> None:
    """classify_lines adds the contract keys, keeps other keys, and turns a bad line into an error line."""
    lines = [json.dumps({"id": 7, "title": "Kim Jong Un Meets Lavrov", "text": "Kim Jong Un met Sergei Lavrov."}),
             "not json", "", json.dumps({"text": "no title"}),
             json.dumps({"id": 8, "title": "Apple Harvest Brisk"})]
    out = [json.loads(x) for x in classify_lines(clf, lines)]
    assert len(out) == 4
    assert out[0]["id"] == 7 and out[0]["category"] == "meeting" and out[0]["high_level"] is True
    assert out[0]["participants"] == ["Kim Jong Un", "Sergei Lavrov"]
    assert out[1]["error"].startswith("line 2")
    assert out[2]["error"].startswith("line 4")
    assert out[3]["category"] == "domestic"
    assert set(out[3]) >= {"category", "high_level", "participants", "countries", "confidence", "reasons"}


def test_targets_on_real_labeled_corpus(clf: Classifier) -> None:
    """On the real labeled corpus: foreign-relations F1 >= 0.95, high-level P/R >= 0.95, participants >= 90%."""
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    r = evaluate(clf, load_labeled(CORPUS))
    assert r.foreign.f1 >= 0.95
    assert r.high_level.precision >= 0.95 and r.high_level.recall >= 0.95
    assert r.participants_found >= 0.90


OLDER = SHARED / "corpus" / "kcna-2011-2024-labeled.jsonl"


@pytest.mark.parametrize("path", [CORPUS, OLDER], ids=["2023-26", "2011-24"])
def test_issue16_targets_on_each_corpus(clf: Classifier, path: Path) -> None:
    """On each shared corpus: foreign-relations F1 >= 0.97, high-level precision >= 0.97 and recall >= 0.95, every
    participant found for >= 90% of high-level meetings, no participant outside the holder's term."""
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    r = evaluate(clf, load_labeled(path))
    assert r.foreign.f1 >= 0.97
    assert r.high_level.precision >= 0.97 and r.high_level.recall >= 0.95
    assert r.participants_found >= 0.90
    assert r.out_of_term == []


@pytest.mark.parametrize("path", [CORPUS, OLDER], ids=["2023-26", "2011-24"])
def test_rules_stand_without_the_gazetteer(path: Path) -> None:
    """Without the named officials, high-level recall >= 0.85 on the items whose title or lead names the office."""
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    r = evaluate(Classifier.load(officials=False), load_labeled(path))
    assert r.office_named is not None and r.office_named.recall >= 0.85


def test_eval_command_without_gazetteer(tmp_path: Path) -> None:
    """`monitor eval --no-gazetteer FILE` runs without the officials list and still finds a titled meeting."""
    from typer.testing import CliRunner

    from monitor.cli import app

    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--no-gazetteer", "--json", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["high_level"]["recall"] == 1.0
    assert report["office_named"]["support"] == 1
