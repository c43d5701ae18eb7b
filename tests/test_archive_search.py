"""Full-text search: matching, query syntax, filters, the index kept in step, the rendered table."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from monitor.archive import search
from monitor.archive.search import fts_query
from monitor.cli.views import render_search, snippet_markup
from monitor.store import Store
from tests.test_archive_fixtures import add_item, make_store

TALKS = "Choe Son-hui Holds Talks with Foreign Minister of Ruritania"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A database with one meeting, one diplomatic item and two domestic items."""
    s = make_store(tmp_path)
    add_item(s, TALKS, category="meeting", high_level=True, participants=("Choe Son-hui", "Anton Varga"),
             body="Foreign Minister Choe Son-hui met Anton Varga, foreign minister of Ruritania, in Pyongyang.\n"
                  "They discussed cultural exchange.", published="2024-05-03")
    add_item(s, "Message of Greeting Sent to Ruritanian President", category="diplomatic", source="rodong",
             body="A message of greeting was sent on the national day of Ruritania.", published="2024-05-04",
             first_seen_at="2024-05-04T07:00:00.000000+00:00")
    add_item(s, "Ginseng Growers Report Record Yield", body="Growers in Kaesong praised new methods.",
             published="2024-05-05", first_seen_at="2024-05-05T07:00:00.000000+00:00")
    add_item(s, "Tram Line Opened in Chongjin", teaser="Citizens rode the new tram.", published="2024-05-06",
             first_seen_at="2024-05-06T07:00:00.000000+00:00")
    return s


def test_surname_finds_only_the_item_naming_it(store: Store) -> None:
    """A surname finds the meeting that names it and no unrelated item."""
    hits = search(store, "Varga")
    assert [h.title for h in hits] == [TALKS]
    assert "\x02Varga\x03" in hits[0].snippet


def test_no_match_gives_no_hits(store: Store) -> None:
    """A word that no item contains returns an empty list."""
    assert search(store, "submarine") == []


def test_hyphenated_name_is_a_plain_phrase(store: Store) -> None:
    """A hyphenated name is searched as words (not read as an FTS5 operator)."""
    assert [h.title for h in search(store, "Choe Son-hui")] == [TALKS]
    assert [h.title for h in search(store, '"Son-hui Holds"')] == [TALKS]


def test_ranking_puts_title_matches_first(store: Store) -> None:
    """An item naming the word in its title ranks above one naming it only in the body."""
    hits = search(store, "Ruritania")
    assert len(hits) == 2
    assert hits[0].title == TALKS


def test_prefix_operators_and_columns(store: Store) -> None:
    """`word*`, OR and `title:` work as FTS5 syntax, lower-case `or` is a plain word."""
    assert {h.title for h in search(store, "Ginse*")} == {"Ginseng Growers Report Record Yield"}
    assert len(search(store, "ginseng OR tram")) == 2
    assert search(store, "ginseng or tram") == []
    assert [h.title for h in search(store, "title:greeting")] == ["Message of Greeting Sent to Ruritanian President"]
    assert search(store, "title:Kaesong") == []
    assert [h.title for h in search(store, 'TITLE:"record yield"')] == ["Ginseng Growers Report Record Yield"]
    assert search(store, 'title:"yield record"') == []


def test_participants_are_searchable(store: Store) -> None:
    """A participant's name found in the participants column is a hit."""
    assert [h.id for h in search(store, "participants:Varga")] == [search(store, "Varga")[0].id]


def test_bad_queries_raise_clear_errors(store: Store) -> None:
    """An unbalanced quote or an empty query is a ValueError that says what is wrong."""
    with pytest.raises(ValueError, match="unbalanced quote"):
        search(store, '"Choe Son')
    with pytest.raises(ValueError, match="empty"):
        search(store, "   ")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        search(store, "tram", since="last week")


def test_dangling_operators_are_words() -> None:
    """Operators with nothing on one side are quoted rather than sent as broken syntax."""
    assert fts_query("NOT tram") == '"NOT" "tram"'
    assert fts_query("tram AND") == '"tram" "AND"'
    assert fts_query("10:30 foo:bar") == '"10:30" "foo:bar"'


def test_filters(store: Store) -> None:
    """Source, category and the date range narrow the hits."""
    assert [h.source for h in search(store, "Ruritania", source="rodong")] == ["rodong"]
    assert [h.category for h in search(store, "Ruritania", category="meeting")] == ["meeting"]
    assert [h.published for h in search(store, "Ruritania", since="2024-05-04")] == ["2024-05-04"]
    assert [h.published for h in search(store, "Ruritania", until="2024-05-03")] == ["2024-05-03"]
    assert search(store, "Ruritania", since="2024-05-05") == []
    assert len(search(store, "Ruritania", limit=1)) == 1


def test_index_follows_update_and_delete(store: Store) -> None:
    """After the body is edited the old words stop matching and the new ones match; a deleted item vanishes."""
    item = search(store, "Kaesong")[0].id
    with store.transaction() as db:
        db.execute("UPDATE items SET body = 'Growers in Hamhung praised new methods.' WHERE id = ?", [item])
    assert search(store, "Kaesong") == []
    assert [h.id for h in search(store, "Hamhung")] == [item]
    with store.transaction() as db:
        db.execute("DELETE FROM revisions WHERE item_id = ?", [item])
        db.execute("DELETE FROM item_urls WHERE item_id = ?", [item])
        db.execute("DELETE FROM items WHERE id = ?", [item])
    assert search(store, "Hamhung") == []
    assert search(store, "growers") == []


def test_snippet_markup_escapes_text() -> None:
    """Matches become highlight markup and square brackets in the text are escaped."""
    markup = snippet_markup("see [bold]note[/bold] on \x02Varga\x03 talks")
    assert markup == r"see \[bold]note\[/bold] on [bold yellow]Varga[/bold yellow] talks"


def test_render_keeps_titles_whole_in_narrow_console(store: Store) -> None:
    """The rendered table shows the whole title (whitespace aside) and the snippet, even 80 columns wide."""
    buf = io.StringIO()
    render_search(search(store, "Varga"), Console(file=buf, width=80, color_system=None))
    text = " ".join(buf.getvalue().split())
    assert TALKS in text
    assert "Anton Varga" in text


def test_render_empty(store: Store) -> None:
    """No hits prints a message rather than an empty table."""
    buf = io.StringIO()
    render_search([], Console(file=buf, width=80))
    assert "No items match" in buf.getvalue()
