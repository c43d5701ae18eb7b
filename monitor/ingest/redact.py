"""Credentials inside URLs (`http://user:password@host/`) kept out of everything shown, stored or sent.

A source URL may carry a password for a site behind HTTP authentication. The fetcher needs it; nothing else
does: `status`, `sources`, `doctor`, the logs, the database and operator alerts get the URL with the password
replaced by `***`, and stored item URLs carry no credentials at all.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

MASK = "***"


def _split(url: str) -> tuple[str, str, str] | None:
    """(userinfo, password, rest of the netloc) of a URL with credentials, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return None
    password = userinfo.partition(":")[2]
    return userinfo, password, host


def strip_userinfo(url: str) -> str:
    """The URL without user name or password."""
    split = _split(url)
    if split is None:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=split[2]))


def mask_password(url: str) -> str:
    """The URL with its password (if any) replaced by ***; the user name stays, to say which account."""
    split = _split(url)
    if split is None or not split[1]:
        return url
    userinfo, _, host = split
    user = userinfo.partition(":")[0]
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def redact_text(text: str | None, *urls: str) -> str | None:
    """`text` with every password of `urls` masked (the URL as written, and the password alone)."""
    if not text:
        return text
    for url in urls:
        split = _split(url)
        if split is None or not split[1]:
            continue
        text = text.replace(url, mask_password(url)).replace(split[1], MASK)
    return text
