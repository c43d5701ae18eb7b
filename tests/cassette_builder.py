"""Writes the cassettes under cassettes/ as vcrpy recordings: KCNA pages (current layout, invented headlines), and
real captured Rodong Sinmun pages (tests/fixtures/real, their source in SOURCES.txt) with the headers that site
sends.

Run `python -m tests.cassette_builder` after changing the pages; tests check the files are up to date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from monitor.runtime.demo import SampleStory, kcna_article, kcna_listing
from tests.sitekit import EXTERNAL, LATEST

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
HOST = "http://www.kcna.kp"
STORIES = [
    SampleStory("Talks Held between Premier of DPRK and Visiting Vietnamese Deputy Prime Minister", (
        "Talks were held between Pak Thae Song, premier of the Cabinet of the DPRK, and Bui Thanh Son, deputy "
        "prime minister and minister of Foreign Affairs of Viet Nam, at the Mansudae Assembly Hall.",
        "Both sides exchanged views on expanding cooperation in agriculture and trade."),
        date(2026, 11, 18)),
    SampleStory("Irrigation Channels Renovated in North Phyongan Province", (
        "Irrigation channels stretching dozens of kilometres were renovated ahead of the next farming season.",),
        date(2026, 11, 18)),
    SampleStory("Kim Jong Un Inspects Newly Built Greenhouse Farm", (
        "Kim Jong Un inspected a greenhouse farm built in the suburbs of Hamhung.",),
        date(2026, 11, 17)),
]
HEADERS = {"Content-Type": ["text/html; charset=utf-8"], "Server": ["Apache"]}


def _request(uri: str, extra: dict[str, list[str]] | None = None) -> dict[str, Any]:
    headers = {"User-Agent": ["monitor/0.1 (state-media watcher; polite polling)"], **(extra or {})}
    return {"method": "GET", "uri": uri, "body": None, "headers": headers}


def _response(body: str, status: int = 200, extra: dict[str, list[str]] | None = None) -> dict[str, Any]:
    message = {200: "OK", 304: "Not Modified"}[status]
    return {"status": {"code": status, "message": message}, "headers": {**HEADERS, **(extra or {})},
            "body": {"string": body}}


def listing_and_articles(path: str, salt: str, etag: str) -> list[dict[str, Any]]:
    """A listing fetch (with ETag) and the fetch of each article it lists."""
    out = [{"request": _request(HOST + path), "response": _response(kcna_listing(STORIES, salt), 200,
                                                                     {"ETag": [etag]})}]
    for s in STORIES:
        out.append({"request": _request(f"{HOST}/en/article/detail/{s.hexid(salt)}"),
                    "response": _response(kcna_article(s))})
    return out


REAL = Path(__file__).resolve().parent / "fixtures" / "real"
RODONG = "http://www.rodong.rep.kp"
RODONG_LISTING = "/en/index.php?strPageID=SF01_01_02&iMenuID=1"
RODONG_ARTICLE = "/en/index.php?strPageID=SF01_02_01&newsID=2022-02-11-0008"
# The captured files kept no headers: these are of the kind a PHP site behind Apache sends, chosen for the replay
# (a Last-Modified, so that the replay shows the conditional request too), not captured ones.
RODONG_HEADERS = {"Content-Type": ["text/html; charset=utf-8"], "Server": ["Apache"],
                  "Last-Modified": ["Fri, 11 Feb 2022 06:10:00 GMT"]}


def rodong_real() -> list[dict[str, Any]]:
    """A poll of the real Rodong home listing of 11 Feb 2022, its first article's page, then a 304 poll."""
    listing = (REAL / "rodong-old-listing-1.html").read_text(encoding="utf-8")
    article = (REAL / "rodong-old-article-1.html").read_text(encoding="utf-8")
    ok = {"status": {"code": 200, "message": "OK"}, "headers": RODONG_HEADERS}
    return [
        {"request": _request(RODONG + RODONG_LISTING), "response": {**ok, "body": {"string": listing}}},
        {"request": _request(RODONG + RODONG_ARTICLE), "response": {**ok, "body": {"string": article}}},
        {"request": _request(RODONG + RODONG_LISTING, {"If-Modified-Since": RODONG_HEADERS["Last-Modified"]}),
         "response": {"status": {"code": 304, "message": "Not Modified"}, "headers": RODONG_HEADERS,
                      "body": {"string": ""}}},
    ]


def cassettes() -> dict[str, dict[str, Any]]:
    """Every cassette by file name."""
    poll = listing_and_articles(LATEST, "", '"latest-1"')
    poll.append({"request": _request(HOST + LATEST, {"If-None-Match": ['"latest-1"']}),
                 "response": _response("", 304, {"ETag": ['"latest-1"']})})
    external = {"request": _request(HOST + EXTERNAL),
                "response": _response(kcna_listing(STORIES[:1], "ext"), 200, {"ETag": ['"ext-1"']})}
    two = [*listing_and_articles(LATEST, "", '"latest-1"'), external]
    return {"kcna_latest_then_304.yaml": {"interactions": poll, "version": 1},
            "kcna_two_lists.yaml": {"interactions": two, "version": 1},
            "rodong_real_listing.yaml": {"interactions": rodong_real(), "version": 1}}


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(data: dict[str, Any]) -> str:
    """A cassette as YAML text."""
    return str(yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=120))


def main() -> None:
    """Write the cassettes."""
    CASSETTES.mkdir(exist_ok=True)
    for name, data in cassettes().items():
        (CASSETTES / name).write_text(render(data), encoding="utf-8")


if __name__ == "__main__":
    main()
