"""Smoke tests of the benchmarks: the quick variants run and give sane numbers (no timing targets asserted)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks import accuracy, alert, classify, ingest, pages, parse, poll, soak
from benchmarks.__main__ import render
from monitor.classify import Classifier
from monitor.store import Store


def _sane(value: float) -> bool:
    return math.isfinite(value) and value > 0


@pytest.mark.parametrize("case", parse.CASES, ids=lambda c: c.name)
def test_adapter_and_beautifulsoup_extract_the_same_rows(case: parse.Case) -> None:
    """Each adapter and its BeautifulSoup baseline give the same URLs, titles and dates on the generated page."""
    assert parse.check_equivalent(case, case.page(pages.invented_stories(parse.ENTRIES))) == parse.ENTRIES


def test_equivalence_check_notices_a_difference() -> None:
    """The equivalence check fails when the baseline extracts something else."""
    broken = parse.Case("broken", "kcna", {}, pages.kcna_detail, lambda text, base: [], "a")
    with pytest.raises(AssertionError, match="disagree"):
        parse.check_equivalent(broken, pages.kcna_detail(pages.invented_stories(parse.ENTRIES)))


def test_parse_quick_gives_rates_and_ratios() -> None:
    """The quick parse benchmark reports positive page rates, speed-ups and overheads for every adapter."""
    section = parse.run(quick=True)
    assert len(section.rows) == len(parse.CASES)
    assert all(_sane(v) for v in section.figures.values())
    assert section.figures["kcna_overhead"] > 0.5  # an adapter cannot beat the parse it performs by much


def test_ingest_quick_stores_every_item() -> None:
    """The quick ingest benchmark stores all items (checked inside) and reports positive rates."""
    section = ingest.run(quick=True)
    for key in ("ingest_items_per_s", "raw_items_per_s", "raw_all_items_per_s", "repeat_items_per_s",
                "ingest_vs_raw", "ingest_vs_raw_items"):
        assert _sane(section.figures[key])


_SAME_ROWS = {
    "items": "SELECT id, key, source, url, title, published, teaser, body, content_hash, story_key, category, "
             "classifier_version FROM items ORDER BY id",
    "item_urls": "SELECT url, item_id, source, outlet FROM item_urls ORDER BY url",
    "revisions": "SELECT item_id, title, body, content_hash FROM revisions ORDER BY id",
    "fetch_log": "SELECT source, status, http_status, entries, new_items, error FROM fetch_log ORDER BY id",
    "sources": "SELECT name, last_status, last_error, consecutive_failures, layout, entries_seen FROM sources "
               "ORDER BY name",
}


def test_raw_baseline_writes_the_rows_the_pipeline_writes(tmp_path: Path) -> None:
    """The ingest target's raw baseline stores the same items, URL, revision, fetch log and health rows as the
    pipeline does for the same listings (timestamps aside)."""
    listings = ingest.make_listings(3)
    sources = [src for src, _ in listings]
    classifier = Classifier.load()
    piped = ingest.PipelineIngest(tmp_path / "pipeline", sources, classifier)
    for src, listing in listings:
        assert piped.run(src, listing) == ingest.PER_RUN
    piped.close()
    rows = [ingest.run_rows(listing, src, classifier.version, 1 + r * ingest.PER_RUN)
            for r, (src, listing) in enumerate(listings)]
    (tmp_path / "raw").mkdir()
    ingest._time_raw_all(tmp_path / "raw", sources, rows)
    for table, sql in _SAME_ROWS.items():
        ours = Store(tmp_path / "pipeline" / "pipeline.db").query(sql)
        theirs = Store(tmp_path / "raw" / "raw-all-FULL.db").query(sql)
        assert ours and ours == theirs, table


def test_classify_quick_rates() -> None:
    """The quick classification benchmark reports a positive rate for invented items."""
    section = classify.run(quick=True)
    assert _sane(section.figures["classify_invented_per_s"])


def test_accuracy_reports_the_eval_targets() -> None:
    """On the real corpora the accuracy section gives, per corpus, the five checks of issue 16, all met, and a row
    for the held-out invented file."""
    if not classify.CORPUS.exists() or not classify.CORPUS_OLDER.exists():
        pytest.skip("the labelled corpora in ../shared are absent")
    section = accuracy.run(quick=True)
    assert len(section.rows) == 3 and len(section.checks) == 10
    assert all(c.ok for c in section.checks), [c.what for c in section.checks if not c.ok]
    assert all(0.0 <= v <= 1.0 for v in section.figures.values())


def test_invented_meetings_are_meetings() -> None:
    """The invented meeting items the latency benchmark relies on classify as high-level meetings."""
    from monitor.classify import Classifier

    c = Classifier.load()
    for i in range(len(alert.VISITORS)):
        story = alert.meeting(i)
        got = c.classify(story.title, story.lead)
        assert (got.category, got.high_level) == ("meeting", True), story.title


def test_poll_quick_cycle_is_at_least_the_bound() -> None:
    """A polled cycle takes at least the politeness bound and the sequential baseline takes longer."""
    section = poll.run(quick=True)
    assert section.figures["poll_ratio_config_order"] >= 0.95
    assert section.figures["poll_sequential"] > section.figures["poll_bound"]


@pytest.mark.slow
def test_short_soak_keeps_files_and_memory_flat(tmp_path: Path) -> None:
    """Forty-five poll cycles of the daemon: no growth of open files, resident memory growth under a generous
    bound."""
    res = soak.soak(45, 0.1, tmp_path, samples=4)
    assert res.cycles >= 45
    assert res.fd_growth <= 0, res.samples
    assert res.growth(res.rss_warm) < 0.25, res.samples
    assert res.rss_peak < 200 * 1024


@pytest.mark.slow
def test_alert_latency_is_measured(tmp_path: Path) -> None:
    """Two listing changes each produce a webhook, with a latency between zero and a few poll intervals."""
    lat = alert.measure(2, 0.5, tmp_path)
    assert len(lat) == 2
    assert all(0 < x < 10 for x in lat)


def test_report_names_machine_command_and_misses() -> None:
    """The rendered report carries the machine, the command and every check."""
    from benchmarks.report import Section

    s = Section("Demo", ["a"], rows=[["1"]])
    s.check("target x", False)
    text = render([s], "python -m benchmarks demo", 1.0, quick=True)
    assert "python -m benchmarks demo" in text
    assert "SQLite:" in text and "CPU:" in text
    assert "**missed**" in text and "**MISSED**: target x" in text


def test_steady_fds_leaves_out_a_socket_in_flight() -> None:
    """Open files are the least of a few readings: a transient socket is not counted, a lasting one is."""
    class Readings:
        def __init__(self, counts: list[int]) -> None:
            self.counts = iter(counts)

        def open_fds(self) -> int:
            return next(self.counts)

    assert soak.steady_fds(Readings([7, 6, 7, 6, 6]), gap=0) == 6  # type: ignore[arg-type]
    assert soak.steady_fds(Readings([7, 7, 7, 7, 7]), gap=0) == 7  # type: ignore[arg-type]
