"""Text and HTML renderings of an alert for email: a subject, a plain-text part and an HTML part per kind.

Every string that comes from outside (titles, names, URLs, error messages) is escaped in the HTML, and a link
is made only of an http(s) URL; the subject is one line with control characters removed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from monitor.alerts import AlertMessage

MAX_SUBJECT = 180
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True)
class Rendered:
    """An alert ready for email: subject, text body and HTML body."""

    subject: str
    text: str
    html: str


def one_line(value: object, limit: int | None = None) -> str:
    """A value as one line: control characters (CR, LF, tabs, ...) become spaces, runs of spaces collapse."""
    text = " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def join_names(names: Iterable[object]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    items = [one_line(n) for n in names if one_line(n)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _str(payload: Mapping[str, object], key: str) -> str:
    return one_line(payload.get(key))


def _list(payload: Mapping[str, object], key: str) -> list[object]:
    value = payload.get(key)
    return list(value) if isinstance(value, list | tuple) else []


def _dicts(payload: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    return [r for r in _list(payload, key) if isinstance(r, Mapping)]


def safe_href(url: object) -> str | None:
    """The URL when it is http or https (so it may be a link), else None."""
    text = one_line(url)
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in ("http", "https") else None


def _e(value: object) -> str:
    return html.escape(one_line(value), quote=True)


def _link_html(label: object, url: object) -> str:
    href = safe_href(url)
    shown = _e(label) or _e(url)
    return f'<a href="{html.escape(href, quote=True)}">{shown}</a>' if href else shown


# ---- subjects -----------------------------------------------------------------------------------------------

def _meeting_subject(msg: AlertMessage, prefix: str) -> str:
    p = msg.payload
    who = join_names(_list(p, "participants")) or _str(p, "title") or "unnamed meeting"
    date = _str(p, "date")
    return f"{prefix}: {who}" + (f" ({date})" if date else "")


def subject(msg: AlertMessage) -> str:
    """The email subject: who met whom for a meeting, what happened otherwise; one line, bounded length."""
    p = msg.payload
    if msg.kind == "meeting.detected":
        text = _meeting_subject(msg, "Meeting")
    elif msg.kind == "meeting.updated":
        text = _meeting_subject(msg, "Meeting update")
    elif msg.kind == "source.failing":
        runs = _str(p, "consecutive_failures")
        text = f"Source failing: {_str(p, 'source')}" + (f" ({runs} runs in a row)" if runs else "")
    elif msg.kind == "source.recovered":
        text = f"Source recovered: {_str(p, 'source')}"
    elif msg.kind == "item.removed":
        text = f"Item removed: {_str(p, 'title')}"
    elif msg.kind == "person.absent":
        text = f"Not seen for {_str(p, 'days')} days: {_str(p, 'person')} (last seen {_str(p, 'last_seen')})"
    elif msg.kind == "person.reappeared":
        text = f"Seen again: {_str(p, 'person')} after {_str(p, 'days')} days ({_str(p, 'date')})"
    elif msg.kind == "ranks.changed":
        text = f"Order of names changed ({_str(p, 'kind')}): " + (
            join_names(one_line(c.get("person")) for c in _dicts(p, "changes")[:3]) or _str(p, "title"))
    elif msg.kind == "watch.matched":
        text = f"Watch {_str(p, 'watch')}: {_str(p, 'title')}"
    elif msg.kind == "test":
        text = "Test message from monitor"
    elif msg.kind == "digest":
        n = len(_list(p, "items"))
        text = f"Digest: {n} diplomatic item{'s' if n != 1 else ''}"
    else:
        text = f"monitor alert: {msg.kind}"
    return one_line(text, MAX_SUBJECT)


# ---- bodies: a list of (label, value[, url]) rows plus an optional list of items -------------------------------

Row = tuple[str, object, object]  # label, value, url (or None)


def _meeting_rows(p: Mapping[str, object]) -> list[Row]:
    return [
        ("Title", p.get("title"), p.get("url")),
        ("Participants", join_names(_list(p, "participants")), None),
        ("Countries", ", ".join(one_line(c) for c in _list(p, "countries")), None),
        ("Date", p.get("date"), None),
        ("Source", p.get("source"), None),
        ("High level", "yes" if p.get("high_level") else "no", None),
        ("Event", p.get("event_id"), None),
    ]


def _failing_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Source", p.get("source"), p.get("url")), ("Status", p.get("status"), None),
            ("Error", p.get("error"), None), ("Failed runs in a row", p.get("consecutive_failures"), None),
            ("Since", p.get("since"), None)]


def _recovered_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Source", p.get("source"), p.get("url")), ("Status", p.get("status"), None),
            ("Failing since", p.get("failing_since"), None)]


def _removed_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Title", p.get("title"), p.get("url")), ("Source", p.get("source"), None), ("Date", p.get("date"), None),
            ("Last seen", p.get("last_seen_at"), None), ("Removed", p.get("removed_at"), None)]


def _absent_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Person", p.get("person"), None), ("Last seen", p.get("last_seen"), None),
            ("Days without an appearance", p.get("days"), None), ("Alert after", p.get("absence_days"), None),
            ("Sources healthy", ", ".join(one_line(s) for s in _list(p, "sources")), None)]


def _reappeared_rows(p: Mapping[str, object]) -> list[Row]:
    item = p.get("item")
    item = item if isinstance(item, Mapping) else {}
    return [("Person", p.get("person"), None), ("Seen again", p.get("date"), None), ("Activity", p.get("kind"), None),
            ("Report", item.get("title"), item.get("url")), ("Last seen before", p.get("last_seen"), None),
            ("Days without an appearance", p.get("days"), None),
            ("Sources healthy", ", ".join(one_line(s) for s in _list(p, "sources")), None)]


def _change_line(c: Mapping[str, object]) -> str:
    who, old, new = one_line(c.get("person")), one_line(c.get("from")), one_line(c.get("to"))
    if c.get("change") == "appeared":
        return f"{who}: new at {new}"
    if c.get("change") == "disappeared":
        return f"{who}: gone (was {old})"
    return f"{who}: {old} -> {new}"


def _ranks_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Title", p.get("title"), p.get("url")), ("List", p.get("kind"), None), ("Date", p.get("date"), None),
            ("Changes", "; ".join(_change_line(c) for c in _dicts(p, "changes")), None),
            ("Order", ", ".join(one_line(n) for n in _list(p, "names")), None), ("Source", p.get("source"), None)]


def _watch_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Watch", p.get("watch"), None), ("Title", p.get("title"), p.get("url")),
            ("Matched", "; ".join(one_line(m) for m in _list(p, "matched")), None), ("Date", p.get("date"), None),
            ("Source", p.get("source"), None), ("Category", p.get("category"), None)]


def _test_rows(p: Mapping[str, object]) -> list[Row]:
    return [("Message", p.get("message") or "Test message from monitor: this channel works.", None),
            ("Sent at", p.get("sent_at"), None)]


def _generic_rows(p: Mapping[str, object]) -> list[Row]:
    return [(str(k), v, None) for k, v in p.items() if not isinstance(v, list | dict)]


_ROWS: dict[str, Callable[[Mapping[str, object]], list[Row]]] = {
    "meeting.detected": _meeting_rows, "meeting.updated": _meeting_rows, "source.failing": _failing_rows,
    "source.recovered": _recovered_rows, "item.removed": _removed_rows, "test": _test_rows,
    "person.absent": _absent_rows, "person.reappeared": _reappeared_rows, "ranks.changed": _ranks_rows,
    "watch.matched": _watch_rows,
}

_INTRO = {
    "meeting.detected": "A new high-level meeting was reported.",
    "meeting.updated": "A meeting already alerted has a new report.",
    "source.failing": "A source has failed several runs in a row; it will alert once more when it recovers.",
    "source.recovered": "A source that was failing works again.",
    "item.removed": "An item is no longer listed by its source.",
    "test": "This is a test message: the channel works.",
    "digest": "Diplomatic items seen since the last digest.",
    "person.absent": "A person you follow has not been reported in public for longer than your limit.",
    "person.reappeared": "A person reported absent appears in public again.",
    "ranks.changed": "The order of names in a list changed against the previous list of the same kind.",
    "watch.matched": "A new item matches one of your watches.",
}


def _items(msg: AlertMessage) -> tuple[str, list[Mapping[str, object]]]:
    if msg.kind in ("meeting.detected", "meeting.updated"):
        return "Reports", _dicts(msg.payload, "reports")
    if msg.kind == "digest":
        watched = [{**w, "title": f"[{one_line(w.get('watch'))}] {one_line(w.get('title'))}"}
                   for w in _dicts(msg.payload, "watches")]
        return "Items", _dicts(msg.payload, "items") + watched
    return "", []


def _item_line(item: Mapping[str, object]) -> str:
    meta = " · ".join(x for x in (_str(item, "date"), _str(item, "source")) if x)
    return _str(item, "title") + (f" ({meta})" if meta else "")


def render_text(msg: AlertMessage) -> str:
    """The plain-text part: an intro line, `Label: value` rows, then the reports or digest items with URLs."""
    rows = [(label, one_line(value), one_line(url)) for label, value, url in
            _ROWS.get(msg.kind, _generic_rows)(msg.payload)]
    lines = [_INTRO.get(msg.kind, f"Alert of kind {one_line(msg.kind)}."), ""]
    for label, value, url in rows:
        if value:
            lines.append(f"{label}: {value}")
        if url:
            lines.append(f"{'URL' if label in ('Title', 'Source') else label + ' URL'}: {url}")
    heading, items = _items(msg)
    if items:
        lines += ["", f"{heading} ({len(items)}):"]
        for item in items:
            lines.append(f"- {_item_line(item)}")
            if _str(item, "url"):
                lines.append(f"  {_str(item, 'url')}")
    lines += ["", f"-- monitor, alert {one_line(msg.alert_id)}"]
    return "\n".join(lines) + "\n"


def render_html(msg: AlertMessage) -> str:
    """The HTML part: the same content as the text part, every outside string escaped, links only to http(s)."""
    rows = _ROWS.get(msg.kind, _generic_rows)(msg.payload)
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"></head><body>',
           f"<p>{_e(_INTRO.get(msg.kind, f'Alert of kind {msg.kind}.'))}</p>", "<table>"]
    for label, value, url in rows:
        if one_line(value):
            out.append(f"<tr><th align=\"left\">{_e(label)}</th><td>{_link_html(value, url)}</td></tr>")
    out.append("</table>")
    heading, items = _items(msg)
    if items:
        out.append(f"<h3>{_e(heading)} ({len(items)})</h3><ul>")
        for item in items:
            meta = " · ".join(_e(x) for x in (item.get("date"), item.get("source")) if one_line(x))
            out.append(f"<li>{_link_html(item.get('title'), item.get('url'))}" + (f" ({meta})" if meta else "")
                       + "</li>")
        out.append("</ul>")
    out += [f"<p><small>monitor, alert {_e(msg.alert_id)}</small></p>", "</body></html>"]
    return "\n".join(out) + "\n"


def render(msg: AlertMessage) -> Rendered:
    """Subject, text and HTML of one alert."""
    return Rendered(subject(msg), render_text(msg), render_html(msg))


__all__ = ["Rendered", "join_names", "one_line", "render", "render_html", "render_text", "safe_href", "subject"]
