"""Where a request may go: the listing's own origin or the hosts its source names, on public addresses only.

Two rules, both applied to every request and every redirect hop:
- the URL rule: http or https, and the listing's origin (scheme, host, port; http -> https on the same host
  counts as the same origin) or a host named in the source's `article_hosts`;
- the address rule: every address a host name resolves to is public, unless the listing itself is on a
  non-public address of the same kind (a listing on 127.0.0.1 may reach loopback, never the LAN or 169.254/16).
The URL rule is checked here; the address rule by the connection layer (monitor/netguard.py) on the address it
is about to connect to, so DNS cannot smuggle a private address in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import httpx

from monitor.config import SourceSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressKind = Literal["public", "loopback", "private", "link-local", "multicast", "unspecified", "reserved"]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """A request the fetch policy does not allow; the message says which URL, why, and how to allow it."""


def _embedded_v4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4, Teredo or NAT64 IPv6 address."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def address_kind(addr: IPAddress) -> AddressKind:
    """What kind of address `addr` is; an IPv4 address embedded in an IPv6 one is judged as itself."""
    if isinstance(addr, ipaddress.IPv6Address):
        inner = _embedded_v4(addr)
        if inner is not None:
            return address_kind(inner)
    if addr.is_unspecified:
        return "unspecified"
    if addr.is_loopback:
        return "loopback"
    if addr.is_link_local:
        return "link-local"
    if addr.is_multicast:
        return "multicast"
    if addr.is_reserved:
        return "reserved"
    if addr.is_private or not addr.is_global:
        return "private"
    return "public"


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP address (brackets and an IPv6 zone dropped), or None when it is a name."""
    text = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute URL, the host lower-cased; ValueError when it has none."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"not a URL: {exc}") from None
    scheme, host = parsed.scheme.lower(), parsed.host.lower().rstrip(".")
    if not host:
        raise ValueError("no host")
    return scheme, host, parsed.port or _default_port(scheme)


@dataclass(frozen=True)
class OriginPolicy:
    """The origins a source's requests may reach: its listing's origin and the hosts of `article_hosts`."""

    origin: tuple[str, str, int]
    hosts: frozenset[str] = frozenset()

    @classmethod
    def for_url(cls, url: str, hosts: Iterable[str] = ()) -> OriginPolicy:
        """The policy of a listing at `url` (plus any extra host names)."""
        return cls(origin_of(url), frozenset(h.lower().rstrip(".") for h in hosts))

    @classmethod
    def for_source(cls, src: SourceSettings) -> OriginPolicy:
        """The policy of a configured source: its URL's origin and its `article_hosts`."""
        return cls.for_url(src.url_str, src.article_hosts)

    @property
    def listing_host(self) -> str:
        """The host name (or address) of the listing."""
        return self.origin[1]

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be requested under this policy (None when it may, as far as the URL goes)."""
        try:
            scheme, host, port = origin_of(url)
        except ValueError as exc:
            return f"{exc}"
        if scheme not in ("http", "https"):
            return f"scheme {scheme!r} is not http or https"
        if (scheme, host, port) == self.origin or host in self.hosts:
            return None
        o_scheme, o_host, o_port = self.origin
        if (host == o_host and o_scheme == "http" and o_port == 80 and scheme == "https" and port == 443):
            return None  # the same site moved to TLS
        return (f"{scheme}://{_hostport(host, port)} is not the listing's origin "
                f"{o_scheme}://{_hostport(o_host, o_port)} (to allow it, add {host!r} to the source's "
                "article_hosts)")

    def check(self, url: str) -> None:
        """Raise Refused when `url` may not be requested under this policy."""
        reason = self.refusal(url)
        if reason is not None:
            raise Refused(f"refused {url}: {reason}")

    def address_refusal(self, host: str, addr: IPAddress, kind: AddressKind,
                        listing_kinds: Iterable[AddressKind]) -> str | None:
        """Why `host` may not be reached at `addr` (an address of `kind`), given the kinds of address the
        listing's host is on."""
        if kind == "public" or kind in set(listing_kinds):
            return None
        return (f"{host} is at {kind} address {addr}, and the listing's host {self.listing_host} is not on a "
                f"{kind} address (a loopback, private, link-local, multicast or reserved address is reachable only "
                "from a listing on one of the same kind; article_hosts does not change that)")


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
