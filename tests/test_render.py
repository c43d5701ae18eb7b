"""Rendering of alerts for email: subjects per kind, text and HTML bodies, escaping and safe links."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.alerts import AlertMessage
from monitor.alerts.render import join_names, one_line, render, render_html, render_text, safe_href, subject

WHEN = datetime(2026, 10, 14, 8, 30, tzinfo=UTC)


def alert(kind: str, **payload: object) -> AlertMessage:
    """An alert of `kind` with `payload`."""
    return AlertMessage(alert_id="msg_abc", kind=kind, payload=dict(payload), created_at=WHEN)


def test_meeting_subject_names_who_met_whom() -> None:
    """Two, three and no participants give readable subjects with the date."""
    two = alert("meeting.detected", participants=["Kim Jong Un", "Maxim Ryzhenkov"], date="2026-10-14")
    three = alert("meeting.detected", participants=["A One", "B Two", "C Three"], date="2026-10-14")
    none = alert("meeting.detected", participants=[], title="Talks held in Pyongyang", date=None)
    assert subject(two) == "Meeting: Kim Jong Un and Maxim Ryzhenkov (2026-10-14)"
    assert subject(three) == "Meeting: A One, B Two and C Three (2026-10-14)"
    assert subject(none) == "Meeting: Talks held in Pyongyang"
    assert subject(alert("meeting.updated", participants=["A One", "B Two"], date="2026-10-15")) == \
        "Meeting update: A One and B Two (2026-10-15)"


def test_operator_and_other_subjects() -> None:
    """Source failing/recovered, test, digest, removal and unknown kinds each get their own subject."""
    assert subject(alert("source.failing", source="kcna-latest", consecutive_failures=3)) == \
        "Source failing: kcna-latest (3 runs in a row)"
    assert subject(alert("source.recovered", source="kcna-latest")) == "Source recovered: kcna-latest"
    assert subject(alert("test", message="hi")) == "Test message from monitor"
    assert subject(alert("digest", items=[{"title": "a"}, {"title": "b"}])) == "Digest: 2 diplomatic items"
    assert subject(alert("digest", items=[{"title": "a"}])) == "Digest: 1 diplomatic item"
    assert subject(alert("item.removed", title="Old story")) == "Item removed: Old story"
    assert subject(alert("something.new")) == "monitor alert: something.new"


def test_subject_is_one_bounded_line() -> None:
    """Control characters never reach the subject and a huge title is cut."""
    s = subject(alert("meeting.detected", participants=["A\r\nB", "C\x00D"], date="2026-10-14\n"))
    assert s == "Meeting: A B and C D (2026-10-14)"
    long = subject(alert("meeting.detected", participants=[], title="x" * 1000))
    assert len(long) <= 180 and long.endswith("…")


def test_meeting_text_lists_details_and_reports() -> None:
    """The text part carries title, URL, participants, countries and every report with its URL."""
    msg = alert("meeting.detected", event_id="evt_9", title="Leader meets envoy <b>", url="http://k.example/1",
                source="kcna-latest", date="2026-10-14", participants=["Kim Jong Un", "Some Envoy"],
                countries=["RU", "CN"], high_level=True,
                reports=[{"title": "Leader meets envoy <b>", "url": "http://k.example/1", "source": "kcna-latest",
                          "date": "2026-10-14"},
                         {"title": "Envoy received", "url": "http://r.example/2", "source": "rodong",
                          "date": "2026-10-14"}])
    text = render_text(msg)
    assert "Title: Leader meets envoy <b>" in text and "URL: http://k.example/1" in text
    assert "Participants: Kim Jong Un and Some Envoy" in text and "Countries: RU, CN" in text
    assert "Reports (2):" in text and "- Envoy received (2026-10-14 · rodong)" in text
    assert "  http://r.example/2" in text


def test_html_escapes_every_outside_string() -> None:
    """Markup in titles, names, sources, countries and errors is escaped in the HTML part."""
    evil = '<img src=x onerror="alert(1)">'
    msg = alert("meeting.detected", title=evil, url="http://k.example/1", source=evil, date=evil,
                participants=[evil], countries=[evil], event_id=evil,
                reports=[{"title": evil, "url": "http://k.example/1", "source": evil, "date": evil}])
    out = render_html(msg)
    assert "<img" not in out and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out
    failing = render_html(alert("source.failing", source="s", error=evil, url="http://x.example/"))
    assert "<img" not in failing and "&lt;img" in failing


def test_only_http_urls_become_links() -> None:
    """A javascript: or data: URL is shown as text, never as a link; quotes in a URL cannot break the attribute."""
    msg = alert("meeting.detected", title="T", url="javascript:alert(1)", participants=[],
                reports=[{"title": "R", "url": 'http://k.example/a"onmouseover="x'}])
    out = render_html(msg)
    assert 'href="javascript' not in out
    assert 'href="http://k.example/a&quot;onmouseover=&quot;x"' in out
    assert safe_href("HTTPS://k.example/") == "HTTPS://k.example/"
    assert safe_href("data:text/html,hi") is None and safe_href(None) is None


def test_digest_lists_items() -> None:
    """A digest renders every item in both parts."""
    msg = alert("digest", items=[{"title": "Delegation leaves for Moscow", "url": "http://k.example/3",
                                  "source": "kcna", "date": "2026-10-13"},
                                 {"title": "Ambassador hosts reception & talks", "url": "http://k.example/4"}])
    r = render(msg)
    assert "Items (2):" in r.text and "Delegation leaves for Moscow (2026-10-13 · kcna)" in r.text
    assert "Ambassador hosts reception &amp; talks</a>" in r.html and r.subject == "Digest: 2 diplomatic items"


def test_test_and_recovered_bodies() -> None:
    """The test message and a recovery render their facts."""
    t = render(alert("test", message="Test message from monitor: this channel works.", sent_at="2026-10-14T08:30Z"))
    assert "Message: Test message from monitor: this channel works." in t.text
    assert "Sent at: 2026-10-14T08:30Z" in t.text
    r = render(alert("source.recovered", source="rodong", url="http://r.example/", status="ok",
                     failing_since="2026-10-13T00:00Z"))
    assert "Source: rodong" in r.text and "Failing since: 2026-10-13T00:00Z" in r.text
    assert '<a href="http://r.example/">rodong</a>' in r.html


def test_unknown_kind_renders_scalar_fields() -> None:
    """An alert kind this module does not know still shows its scalar fields, escaped."""
    r = render(alert("custom.kind", note="<hello>", nested={"skip": 1}))
    assert "note: <hello>" in r.text and "&lt;hello&gt;" in r.html and "skip" not in r.text


def test_helpers() -> None:
    """join_names and one_line handle empties, None and whitespace."""
    assert join_names([]) == "" and join_names(["A"]) == "A" and join_names(["A", "", "B"]) == "A and B"
    assert one_line(None) == "" and one_line(" a \n\t b ") == "a b" and one_line("abcdef", 4) == "abc…"
