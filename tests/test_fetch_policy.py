"""The fetch policy against real local servers: other origins, private addresses and redirects are refused."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

from monitor.config import ConfigError, FetchSettings, load_settings
from monitor.ingest import netguard
from monitor.ingest.fetch import Fetcher, FetchError
from monitor.ingest.netpolicy import OriginPolicy, address_kind
from monitor.ingest.pipeline import run_source
from monitor.runtime.runner import close_context, open_context
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, kcna_listing, publish

ARTICLE = "<html><body><main><article><h1>Page</h1><p>text</p></article></main></body></html>"


def fetcher(**kw: Any) -> Fetcher:
    """A fast fetcher: short timeouts, no politeness delay, no retries."""
    return Fetcher(FetchSettings(**{"timeout": 5, "connect_timeout": 2, "min_delay": 0, "retries": 0, **kw}))


@pytest.fixture
def other() -> Iterator[LocalSite]:
    """A second local site on another port: the place nothing may reach."""
    s = LocalSite()
    yield s
    s.close()


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address a socket of this process tries to connect to, recorded before the connect."""
    seen: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        seen.append(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        seen.append(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return seen


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
    """Make socket.getaddrinfo answer `names` (host -> address); other names resolve as before."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(host, str) and host in names:
            addr = ipaddress.ip_address(names[host])
            family = socket.AF_INET6 if addr.version == 6 else socket.AF_INET
            sockaddr = (str(addr), int(port), 0, 0) if addr.version == 6 else (str(addr), int(port))
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(("address", "kind"), [
    ("93.184.216.34", "public"), ("2606:4700::1111", "public"), ("127.0.0.1", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("100.64.0.1", "private"), ("fc00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("240.0.0.1", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("::ffff:10.0.0.1", "private"),
    ("2002:7f00:1::", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local"), ("::ffff:93.184.216.34", "public"),
])
def test_address_kinds(address: str, kind: str) -> None:
    """Each address is classed as public or the kind of non-public address it is, IPv4 inside IPv6 included."""
    assert address_kind(ipaddress.ip_address(address)) == kind


def test_url_rule() -> None:
    """Only the listing's origin (and http->https on it) and the named hosts pass; the refusal says how to allow."""
    policy = OriginPolicy.for_url("http://www.kcna.kp/en/list", ["kcnawatch.org"])
    assert policy.refusal("http://www.kcna.kp/en/article/1") is None
    assert policy.refusal("http://WWW.KCNA.KP:80/x") is None
    assert policy.refusal("https://www.kcna.kp/x") is None
    assert policy.refusal("https://kcnawatch.org/a/") is None
    for url in ("http://www.kcna.kp:8080/x", "http://kcna.kp/x", "http://localhost/x", "http://127.0.0.1/x",
                "http://169.254.169.254/latest/meta-data/", "ftp://www.kcna.kp/x", "file:///etc/passwd"):
        assert policy.refusal(url) is not None, url
    reason = policy.refusal("http://www.kcna.kp:8080/x")
    assert reason is not None and "article_hosts" in reason and "www.kcna.kp:8080" in reason


def test_article_hosts_are_validated(tmp_path: Path) -> None:
    """article_hosts takes bare host names (normalised to lower case); a URL in it is a config error."""
    src = {"name": "s", "adapter": "kcna", "url": "http://www.kcna.kp/", "article_hosts": ["KCNAWatch.org."]}
    settings = load_settings(write_config(tmp_path / "ok.toml", [src]))
    assert settings.sources[0].article_hosts == ["kcnawatch.org"]
    bare = {k: v for k, v in src.items() if k != "article_hosts"}
    plain = load_settings(write_config(tmp_path / "none.toml", [bare]))
    assert plain.sources[0].article_hosts == []
    with pytest.raises(ConfigError, match="article_hosts"):
        load_settings(write_config(tmp_path / "bad.toml", [{**src, "article_hosts": ["https://kcnawatch.org/"]}]))


def test_same_origin_is_fetched(site: LocalSite) -> None:
    """A listing on 127.0.0.1:PORT may fetch an article from 127.0.0.1:PORT."""
    site.put("/a", ARTICLE)
    with fetcher() as f:
        result = f.get(site.base + "/a", policy=OriginPolicy.for_url(site.base + "/list"))
    assert result.doc is not None and b"Page" in result.doc.content


def test_other_port_and_localhost_are_refused(site: LocalSite, other: LocalSite) -> None:
    """127.0.0.1:OTHERPORT and localhost:OTHERPORT are other origins: refused, nothing sent."""
    other.put("/secret", ARTICLE)
    port = other.base.rsplit(":", 1)[1]
    policy = OriginPolicy.for_url(site.base + "/list")
    with fetcher() as f:
        for url in (other.base + "/secret", f"http://localhost:{port}/secret"):
            with pytest.raises(FetchError) as exc:
                f.get(url, policy=policy)
            assert exc.value.kind == "refused" and url in str(exc.value) and "article_hosts" in str(exc.value)
    assert other.requests == []


def test_link_local_is_never_connected_to(site: LocalSite, connects: list[Any]) -> None:
    """169.254.169.254 is refused before any socket connects: as another origin, and even when named in
    article_hosts, because the listing is on loopback, not link-local."""
    with fetcher() as f:
        for hosts in ((), ("169.254.169.254",)):
            with pytest.raises(FetchError) as exc:
                f.get("http://169.254.169.254/latest/meta-data/",
                      policy=OriginPolicy.for_url(site.base + "/list", hosts))
            assert exc.value.kind == "refused"
        assert "link-local" in str(exc.value)
    assert not [a for a in connects if a[0] == "169.254.169.254"]


def test_same_origin_redirect_to_another_origin_is_refused(site: LocalSite, other: LocalSite) -> None:
    """A same-site link answering 302 to another origin is refused at the redirect; the target sees nothing."""
    other.put("/secret", ARTICLE)
    site.put("/a", b"", status=302, headers={"Location": other.base + "/secret"})
    with fetcher() as f, pytest.raises(FetchError) as exc:
        f.get(site.base + "/a", policy=OriginPolicy.for_url(site.base + "/list"))
    assert exc.value.kind == "refused" and "redirected" in str(exc.value)
    assert other.requests == [] and len(site.hits("/a")) == 1


def test_listing_redirect_uses_the_policy_by_default(site: LocalSite, other: LocalSite) -> None:
    """Without a policy, a request may redirect only within its own origin (as a listing fetch does)."""
    other.put("/list", ARTICLE)
    site.put("/list", b"", status=301, headers={"Location": other.base + "/list"})
    with fetcher() as f, pytest.raises(FetchError) as exc:
        f.get(site.base + "/list")
    assert exc.value.kind == "refused" and other.requests == []


def test_redirect_chain_within_the_origin(site: LocalSite) -> None:
    """A chain of same-origin redirects is followed to its end; one hop more than max_redirects fails."""
    site.put("/a", b"", status=301, headers={"Location": "/b"})
    site.put("/b", b"", status=307, headers={"Location": site.base + "/c"})
    site.put("/c", b"", status=302, headers={"Location": "d"})
    site.put("/d", ARTICLE)
    with fetcher(max_redirects=3) as f:
        result = f.get(site.base + "/a")
    assert result.doc is not None and result.doc.url == site.base + "/d" and result.url == site.base + "/a"
    with fetcher(max_redirects=2) as f, pytest.raises(FetchError) as exc:
        f.get(site.base + "/a")
    assert exc.value.kind == "redirects"


def test_redirect_to_article_host_is_followed(site: LocalSite, other: LocalSite) -> None:
    """A redirect to a host named in article_hosts is followed (here 127.0.0.1 itself, on another port)."""
    other.put("/story", ARTICLE)
    site.put("/a", b"", status=302, headers={"Location": other.base + "/story"})
    with fetcher() as f:
        result = f.get(site.base + "/a", policy=OriginPolicy.for_url(site.base + "/list", ["127.0.0.1"]))
    assert result.doc is not None and result.doc.url == other.base + "/story"


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True


@pytest.fixture
def v6site() -> Iterator[tuple[str, list[str]]]:
    """A server on [::1] answering /go?URL with a redirect to URL and every other path with a small page;
    its base URL and the paths requested."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path.startswith("/go?"):  # /go?URL answers 302 to URL
                self.send_response(302)
                self.send_header("Location", unquote(self.path[4:]))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = ARTICLE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    try:
        server = _V6Server(("::1", 0), Handler)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://[::1]:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_ipv6_loopback(v6site: tuple[str, list[str]], site: LocalSite) -> None:
    """A listing on [::1] fetches its own articles; a listing on 127.0.0.1 may not reach [::1]."""
    base, seen = v6site
    with fetcher() as f:
        assert f.get(base + "/a", policy=OriginPolicy.for_url(base + "/list")).doc is not None
        with pytest.raises(FetchError) as exc:
            f.get(base + "/b", policy=OriginPolicy.for_url(site.base + "/list"))
    assert exc.value.kind == "refused" and seen == ["/a"]


def test_name_resolving_to_loopback_is_refused_for_a_public_listing(site: LocalSite, monkeypatch: pytest.MonkeyPatch,
                                                                   connects: list[Any]) -> None:
    """An article host named in article_hosts whose DNS answer is 127.0.0.1 is refused when the listing's host
    resolves to a public address: the resolved address is checked, and nothing connects to it."""
    site.put("/a", ARTICLE)
    port = int(site.base.rsplit(":", 1)[1])
    fake_dns(monkeypatch, {"news.example": "93.184.216.34", "cdn.example": "127.0.0.1"})
    policy = OriginPolicy.for_url("http://news.example/list", ["cdn.example"])
    with fetcher() as f, pytest.raises(FetchError) as exc:
        f.get(f"http://cdn.example:{port}/a", policy=policy)
    assert exc.value.kind == "refused" and "127.0.0.1" in str(exc.value) and "loopback" in str(exc.value)
    assert site.requests == [] and connects == []


def test_name_resolving_to_loopback_is_fetched_for_a_loopback_listing(site: LocalSite,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing whose own name resolves to 127.0.0.1 is on loopback: it and its articles are fetched."""
    site.put("/a", ARTICLE)
    port = int(site.base.rsplit(":", 1)[1])
    fake_dns(monkeypatch, {"intranet.example": "127.0.0.1"})
    with fetcher() as f:
        result = f.get(f"http://intranet.example:{port}/a",
                       policy=OriginPolicy.for_url(f"http://intranet.example:{port}/list"))
    assert result.doc is not None and site.hits("/a")[0].headers["host"] == f"intranet.example:{port}"


def test_public_listing_redirecting_to_a_private_address_is_refused(
        v6site: tuple[str, list[str]], site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing on a public address that redirects to a host resolving to a loopback address is refused, even
    when that host is in article_hosts (the [::1] server stands in for a public one here)."""
    base, seen = v6site
    real_kind = netguard.address_kind
    monkeypatch.setattr(netguard, "address_kind", lambda a: "public" if str(a) == "::1" else real_kind(a))
    site.put("/secret", ARTICLE)
    port = int(site.base.rsplit(":", 1)[1])
    fake_dns(monkeypatch, {"cdn.example": "127.0.0.1"})
    listing = base + "/go?" + quote(f"http://cdn.example:{port}/secret", safe="")
    with fetcher() as f:
        assert f.get(base + "/list").doc is not None  # the stand-in public listing itself is fetched
        with pytest.raises(FetchError) as exc:
            f.get(listing, policy=OriginPolicy.for_url(listing, ["cdn.example"]))
    assert exc.value.kind == "refused" and "loopback" in str(exc.value)
    assert site.requests == [] and len(seen) == 2


def test_pipeline_keeps_refused_links_as_entries(tmp_path: Path, site: LocalSite, other: LocalSite) -> None:
    """With fetch_articles on, links to another port, to localhost and through a same-site 302 to another origin
    fetch nothing there; every entry is still stored, each refusal is a warning, the same-origin article is read."""
    day = date(2026, 11, 20)
    stories = [Story(t, ("Text of the story.",), day) for t in (
        "Rice Transplanting Begins", "New Bridge Opened", "Orchard Harvest Brisk", "Museum Reopens")]
    publish(site, LATEST, stories)
    port = other.base.rsplit(":", 1)[1]
    secret = "/en/article/detail/" + "0" * 32  # a link the adapter takes for an article, on another origin
    other.put(secret, ARTICLE)
    page = kcna_listing(stories)
    page = page.replace(f'href="/en/article/detail/{stories[0].hexid()}"', f'href="{other.base}{secret}"')
    page = page.replace(f'href="/en/article/detail/{stories[1].hexid()}"', f'href="http://localhost:{port}{secret}"')
    site.put(LATEST, page)
    site.put(f"/en/article/detail/{stories[2].hexid()}", b"", status=302, headers={"Location": other.base + secret})
    settings = load_settings(write_config(tmp_path / "m.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}]))
    ctx = open_context(settings)
    try:
        summary = run_source(ctx, settings.sources[0])
        rows = ctx.store.query("SELECT title, body FROM items ORDER BY title")
    finally:
        close_context(ctx)
    assert other.requests == []
    assert summary.status == "ok" and summary.new_items == 4
    assert sorted(r["title"] for r in rows) == sorted(s.title for s in stories)
    refused = [w for w in summary.warnings if "article_hosts" in w]
    assert len(refused) == 3, summary.warnings
    bodies = {r["title"]: r["body"] or "" for r in rows}
    assert "Text of the story" in bodies["Museum Reopens"]
