"""`check_document` / `render_check`: what a user sees when checking a saved page."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from monitor.cli.views import render_check
from monitor.models import Document
from monitor.sources.check import check_document

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"


def _doc(name: str, path: str = "/en/article/list/a666") -> Document:
    return Document(url=BASE + path, content=(FIXTURES / name).read_bytes())


def _render(report: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    render_check(report, console)  # type: ignore[arg-type]
    return console.export_text()


def test_listing_report_and_table() -> None:
    """A listing page gives layout, entries and a table with title, date, URL and outlet."""
    report = check_document("kcnawatch", _doc("kcnawatch_listing.html", "/article/156/"))
    assert (report.kind, report.layout, report.error) == ("listing", "kcnawatch-listing", None)
    assert len(report.entries) == 3
    text = _render(report)
    assert "Delegation of Vietnamese Youth Arrives" in text
    assert "2025-12-27" in text
    assert f"{BASE}/newstream/1735192801-40017/delegation-of-vietnamese-youth-arrives/" in text
    assert "KCNA" in text


def test_article_report() -> None:
    """An article page (not a listing) falls back to parse_article and shows title and date."""
    report = check_document("kcna", _doc("kcna_q_article.html", "/en/article/q/x.kcmsf"))
    assert (report.kind, report.error) == ("article", None)
    assert report.article is not None
    text = _render(report)
    assert "Watches Test-fire of New Irrigation Pumps" in text
    assert "2024-03-09" in text


def test_unrecognised_report() -> None:
    """An empty <main> gives an error naming both attempts, and it is printed."""
    report = check_document("kcna", Document(url=BASE + "/x", content=b"<html><body><main></main></body></html>"))
    assert report.kind is None
    assert report.error is not None
    assert "as a listing" in report.error and "as an article" in report.error
    assert "empty <main>" in _render(report)


def test_warnings_are_printed() -> None:
    """Entries without a date appear as warnings under the table."""
    html = b"<html><body><main><h5><a href='/en/article/detail/abc'>Undated Item</a></h5></main></body></html>"
    report = check_document("kcna", Document(url=BASE + "/en/article/list/x", content=html))
    assert report.warnings == ["no date for 'Undated Item'"]
    assert "warning: no date for 'Undated Item'" in _render(report)


def test_unknown_adapter_and_bad_options() -> None:
    """An unknown adapter kind or invalid css options become an error, not an exception."""
    assert "unknown adapter" in (check_document("nope", _doc("kcna_q_article.html")).error or "")
    assert "required" in (check_document("css", _doc("css_listing.html"), {"title": "a"}).error or "")


def test_check_json_lists_entries_for_scripts(tmp_path: Path) -> None:
    """`monitor check --adapter kcna --file PAGE --json` prints the entries as JSON and exits 0; an unrecognised
    page gives recognised false, its error, and exit 1."""
    from typer.testing import CliRunner

    from monitor.cli import app

    page = tmp_path / "listing.html"
    page.write_bytes(b'<html><body><main><h5><a href="/en/article/detail/abc">Orchard Grows</a> <span><nobr>'
                     b"[2026.11.20.]</nobr></span></h5></main></body></html>")
    result = CliRunner().invoke(app, ["check", "--adapter", "kcna", "--file", str(page), "--url",
                                      "http://127.0.0.1:9/en/article/list/x", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["recognised"] and data["kind"] == "listing"
    assert data["entries"] == [{"title": "Orchard Grows", "url": "http://127.0.0.1:9/en/article/detail/abc",
                                "published": "2026-11-20", "outlet": None, "teaser": None}]
    page.write_bytes(b"<html><body><p>nothing here</p></body></html>")
    bad = CliRunner().invoke(app, ["check", "--adapter", "kcna", "--file", str(page), "--json"])
    assert bad.exit_code == 1 and json.loads(bad.stdout)["recognised"] is False
