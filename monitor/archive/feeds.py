"""Atom 1.0 feeds of high-level meeting alerts and of diplomatic items, written atomically for a web server."""

from __future__ import annotations

import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from monitor.store import Store
from monitor.store.archive import foreign_relations_items, high_level_events

ATOM = "http://www.w3.org/2005/Atom"
FeedKind = Literal["alerts", "diplomatic"]
KINDS: tuple[FeedKind, ...] = ("alerts", "diplomatic")
TITLES = {"alerts": "DPRK state media: high-level meetings", "diplomatic": "DPRK state media: diplomatic items"}
SUBTITLES = {"alerts": "High-level meetings reported by North Korean state media, one entry per meeting.",
             "diplomatic": "Items of North Korean state media classified as meetings or diplomatic."}
#: The date in the tag: URIs of feed and entry ids (RFC 4151); fixed so ids never change.
TAG_DATE = "2024"
EPOCH = "1970-01-01T00:00:00Z"
SUMMARY_CHARS = 600

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM)


def _clean(text: str | None) -> str:
    """Text safe for XML 1.0: characters XML cannot carry are dropped (ElementTree escapes the rest)."""
    return _NOT_XML.sub("", text or "")


def rfc3339(ts: str | None) -> str:
    """A stored ISO time as an Atom date (UTC, seconds, `Z`)."""
    if not ts:
        return EPOCH
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _authority(base_url: str) -> str:
    host = (urlsplit(base_url).hostname or "").strip(".")
    return host if re.fullmatch(r"[a-z0-9.-]+", host) else "monitor.invalid"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _summary(teaser: str | None, body: str | None) -> str:
    text = " ".join((teaser or body or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _alert_entries(store: Store, tag: str, limit: int) -> list[dict[str, Any]]:
    entries = []
    for ev, reports in high_level_events(store, limit):
        first = reports[0] if reports else None
        participants = json.loads(ev["participants"] or "[]")
        countries = json.loads(ev["countries"] or "[]")
        lines = []
        if participants:
            lines.append("Participants: " + ", ".join(participants) + ".")
        if countries:
            lines.append("Countries: " + ", ".join(countries) + ".")
        if first is not None:
            lines.append(f"First reported by {first['source']}"
                         + (f" on {first['published']}" if first["published"] else "") + ".")
            lines.append(_summary(first["teaser"], first["body"]))
        if len(reports) > 1:
            lines.append(f"{len(reports)} reports: " + ", ".join(sorted({r['source'] for r in reports})) + ".")
        entries.append({
            "id": f"{tag}:event:{ev['id']}", "title": ev["title"], "updated": rfc3339(ev["updated_at"]),
            "published": rfc3339(ev["created_at"]), "link": first["url"] if first else None,
            "related": [r["url"] for r in reports[1:]], "summary": " ".join(x for x in lines if x),
            "categories": ["meeting", "high-level", *countries],
        })
    return entries


def _diplomatic_entries(store: Store, tag: str, limit: int) -> list[dict[str, Any]]:
    entries = []
    for it in foreign_relations_items(store, limit):
        cats = [it["category"]] + (["high-level"] if it["high_level"] else [])
        cats += json.loads(it["countries"] or "[]")
        if it["removed_at"]:
            cats.append("removed")
        summary = _summary(it["teaser"], it["body"])
        participants = json.loads(it["participants"] or "[]")
        if participants:
            summary = ("Participants: " + ", ".join(participants) + ". " + summary).strip()
        entries.append({
            "id": f"{tag}:item:{it['key']}", "title": it["title"],
            "updated": rfc3339(max(filter(None, [it["edited"], it["first_seen_at"], it["removed_at"]]))),
            "published": rfc3339(it["first_seen_at"]), "link": it["url"], "related": [],
            "summary": summary, "categories": cats,
        })
    return entries


def atom_feed(store: Store, kind: FeedKind, *, base_url: str, limit: int = 50) -> bytes:
    """The Atom 1.0 document of `kind` ("alerts": high-level meeting events; "diplomatic": meeting and
    diplomatic items), newest first; `base_url` is where the feed files are served from."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed {kind!r}: use alerts or diplomatic")
    base = base_url.rstrip("/")
    tag = f"tag:{_authority(base_url)},{TAG_DATE}"
    entries = (_alert_entries if kind == "alerts" else _diplomatic_entries)(store, tag, max(1, int(limit)))
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{tag}:feed:{kind}")
    _sub(feed, "title", TITLES[kind])
    _sub(feed, "subtitle", SUBTITLES[kind])
    _sub(feed, "updated", max((e["updated"] for e in entries), default=EPOCH))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/{kind}.xml")
    _sub(_sub(feed, "author"), "name", "monitor")
    _sub(feed, "generator", "monitor")
    for e in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", e["id"])
        _sub(entry, "title", e["title"], type="text")
        _sub(entry, "updated", e["updated"])
        _sub(entry, "published", e["published"])
        if e["link"]:
            _sub(entry, "link", rel="alternate", type="text/html", href=e["link"])
        for url in e["related"]:
            _sub(entry, "link", rel="related", type="text/html", href=url)
        _sub(entry, "summary", e["summary"], type="text")
        for term in dict.fromkeys(e["categories"]):
            if term:
                _sub(entry, "category", term=term)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_feeds(store: Store, directory: Path, base_url: str, *, limit: int = 50) -> list[Path]:
    """Write alerts.xml and diplomatic.xml into `directory` atomically (temp file + os.replace).

    A file whose content would not change is left untouched (its mtime serves conditional GETs).
    Returns the paths of both feeds.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = directory / f"{kind}.xml"
        data = atom_feed(store, kind, base_url=base_url, limit=limit)
        try:
            unchanged = path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            _write_atomic(path, data)
        paths.append(path)
    return paths
