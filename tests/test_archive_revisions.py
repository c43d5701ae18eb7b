"""Revisions: the versions of an item and the diff shown for each change."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console

from monitor.archive import Revision, get_item, revisions
from monitor.archive.revisions import diff, text_lines
from monitor.cli.views import render_revisions
from tests.test_archive_fixtures import add_item, edit_item, make_store

BODY = ("Pyongyang, May 3 (KCNA) -- A delegation of the Ruritanian parliament arrived here. "
        "It was met at the airport by officials.\nThe talk proceeded in a friendly atmosphere.")
EDITED = BODY.replace("in a friendly atmosphere", "with a translator in a warm atmosphere")


def _render(item: dict[str, Any] | None, revs: list[Revision]) -> str:
    buf = io.StringIO()
    render_revisions(item, revs, Console(file=buf, width=60, color_system=None))
    return buf.getvalue()


def test_revisions_oldest_first(tmp_path: Path) -> None:
    """Every stored version is returned in the order it was seen, the first version included."""
    store = make_store(tmp_path)
    item = add_item(store, "Parliamentary Delegation Arrives", body=BODY)
    edit_item(store, item, EDITED, "2024-05-04T10:00:00.000000+00:00")
    revs = revisions(store, item)
    assert [r.body for r in revs] == [BODY, EDITED]
    assert revs[0].seen_at < revs[1].seen_at
    assert revisions(store, 999) == []


def test_diff_shows_the_changed_sentence_only(tmp_path: Path) -> None:
    """The diff removes the old sentence and adds the new one, with the times seen in its header."""
    store = make_store(tmp_path)
    item = add_item(store, "Parliamentary Delegation Arrives", body=BODY)
    edit_item(store, item, EDITED, "2024-05-04T10:00:00.000000+00:00")
    old, new = revisions(store, item)
    lines = diff(old, new)
    assert lines[0] == f"--- seen {old.seen_at}"
    assert lines[1] == f"+++ seen {new.seen_at}"
    assert "-The talk proceeded in a friendly atmosphere." in lines
    assert "+The talk proceeded with a translator in a warm atmosphere." in lines
    assert not any(line.startswith(("+", "-")) and "airport" in line for line in lines)


def test_render_shows_the_edit_unbroken(tmp_path: Path) -> None:
    """The rendered output names both times and keeps each changed sentence on one line."""
    store = make_store(tmp_path)
    item = add_item(store, "Parliamentary Delegation Arrives", body=BODY)
    edit_item(store, item, EDITED, "2024-05-04T10:00:00.000000+00:00")
    out = _render(get_item(store, item), revisions(store, item))
    assert "+The talk proceeded with a translator in a warm atmosphere." in out
    assert "2024-05-04T10:00:00" in out and "2024-05-03T08:00:00" in out
    assert "Version 2 of 2" in out


def test_single_version_and_missing_item(tmp_path: Path) -> None:
    """An unedited item and an unknown id each get a clear message and no diff."""
    store = make_store(tmp_path)
    item = add_item(store, "Parliamentary Delegation Arrives", body=BODY)
    out = _render(get_item(store, item), revisions(store, item))
    assert "Only one version" in out and "+++" not in out
    assert "No such item" in _render(get_item(store, 42), [])


def test_text_lines_split_sentences() -> None:
    """Title, blank line, then one sentence per line across paragraphs."""
    assert text_lines("T", "One. Two!\nThree?") == ["T", "", "One.", "Two!", "Three?"]
