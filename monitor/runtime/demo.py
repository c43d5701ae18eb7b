"""`monitor demo`: a local stand-in for KCNA so a newcomer can watch the whole pipeline without the real sites.

The pages are written in KCNA's current markup (see the adapters) with invented headlines.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.runtime.localsite import LocalSite

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
LATEST = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7"


@dataclass(frozen=True)
class SampleStory:
    """An invented news item."""

    title: str
    paragraphs: tuple[str, ...]
    day: date

    def hexid(self, salt: str = "") -> str:
        """A 32-hex article id; KCNA gives one article another id in each listing (the salt)."""
        return hashlib.md5((salt + self.title).encode()).hexdigest()


def _names(text: str) -> str:
    return text.replace("Kim Jong Un", "<nobr><span class='fSpecCs'>Kim Jong Un</span></nobr>")


def kcna_listing(stories: list[SampleStory], salt: str = "") -> str:
    """A listing page in KCNA's current ("detail") layout."""
    rows = "\n".join(
        f'<div class="article"><h5 class="block"><a href="/en/article/detail/{s.hexid(salt)}"> '
        f'{_names(html.escape(s.title))} </a> <span><nobr>[{s.day.year}.{s.day.month}.{s.day.day}.]</nobr></span>'
        f"</h5></div>" for s in stories)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA</title></head><body><main>{rows}'
            f"<script> var total = {len(stories)}; var cur_page = 1; </script></main></body></html>")


def kcna_article(s: SampleStory) -> str:
    """An article page in KCNA's current layout, with the dateline and the -0- end mark."""
    paras = [html.escape(p) for p in s.paragraphs]
    paras[0] = f"Pyongyang, {MONTHS[s.day.month - 1]} {s.day.day} (KCNA) -- {paras[0]}"
    paras[-1] += " -0-"
    body = "".join(f"<p>{_names(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA | {html.escape(s.title)}</title></head>'
            f'<body><main><article><div class="container"><h1 class="text-center text-danger">'
            f'{_names(html.escape(s.title))}</h1><h1 class="text-center text-danger"></h1>{body}</div></article>'
            f"</main></body></html>")


def sample_stories(today: date) -> list[SampleStory]:
    """A day of invented news: one high-level meeting among domestic filler and diplomatic items."""
    d = today
    return [
        SampleStory("Kim Jong Un Receives Visiting Lao Prime Minister", (
            "Kim Jong Un, general secretary of the Workers' Party of Korea and president of the State Affairs of "
            "the DPRK, received Sonexay Siphandone, prime minister of the Lao People's Democratic Republic, who is "
            "on an official goodwill visit.",
            "They had a friendly talk on developing bilateral relations."), d),
        SampleStory("Pear Harvest Brisk at Orchards in South Hwanghae Province", (
            "Orchard workers in South Hwanghae Province are gathering a rich crop of pears.",), d),
        SampleStory("Message of Sympathy Sent to Nicaraguan President", (
            "Kim Jong Un sent a message of sympathy to the president of Nicaragua over the damage caused by a "
            "hurricane.",), d),
        SampleStory("Youth Go Tournament Ends in Pyongyang", (
            "A national youth go tournament ended at the Pyongyang Sports Club.",), d - timedelta(days=1)),
        SampleStory("New Footbridge Opens over Pothong River", (
            "A new footbridge over the Pothong River was opened to pedestrians.",), d - timedelta(days=1)),
    ]


def demo_site(stories: list[SampleStory]) -> LocalSite:
    """A local site serving the sample listing and articles; the webhook deliveries it receives are its POSTs."""
    site = LocalSite()
    site.put(LATEST, kcna_listing(stories))
    for s in stories:
        site.put(f"/en/article/detail/{s.hexid()}", kcna_article(s))
    return site


DEMO_SECRET = "whsec_" + "ZGVtby1zZWNyZXQtZm9yLWxvY2FsLXVzZQ=="


def demo_config(base: str) -> str:
    """A config polling the demo server and posting alerts to its webhook receiver."""
    return f"""[storage]
path = "demo.db"

[fetch]
timeout = 10
min_delay = 0.2
per_host_concurrency = 1

[[sources]]
name = "demo-kcna-latest"
adapter = "kcna"
url = "{base}{LATEST}"
interval = 60
fetch_articles = true

[alerts.webhook]
url = "{base}/hook"
secret = "{DEMO_SECRET}"
"""
