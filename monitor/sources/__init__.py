"""The registry of site adapters: each kind is declared once here, chosen by the config key `adapter` (never by
host name). Config validation, `monitor check`, `doctor` and the pipeline all work from this list.

To add a kind: a module under monitor/sources with an adapter class (see `base.Adapter`) and a function
`make(options) -> Adapter`, then one `AdapterKind` below. Importing this package loads no adapter module; each is
imported the first time its kind is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from monitor.sources.base import Adapter, AdapterFactory


@dataclass(frozen=True)
class AdapterKind:
    """One kind of adapter: its config name, its module, and what it can do."""

    name: str
    module: str
    articles: bool = True  # whether its entries link to article pages that can be fetched (else an entry's URL
    #                        is only its identity: its fragment is kept, and no article is fetched)
    options: bool = False  # whether it takes options (a `[sources.NAME]` table)

    def make(self, options: Mapping[str, Any] | None = None) -> Adapter:
        """The adapter, built with `options` (ValueError when they are wrong)."""
        factory = cast(AdapterFactory, importlib.import_module(self.module).make)
        return factory(options or {})


KINDS: tuple[AdapterKind, ...] = (
    AdapterKind("kcna", "monitor.sources.kcna"),
    AdapterKind("rodong", "monitor.sources.rodong"),
    AdapterKind("kcnawatch", "monitor.sources.kcnawatch"),
    AdapterKind("naenara", "monitor.sources.naenara", articles=False),
    AdapterKind("css", "monitor.sources.css", options=True),
)
NAMES = tuple(k.name for k in KINDS)


def adapter_kind(name: str) -> AdapterKind:
    """The adapter kind named `name`; KeyError naming the known ones when there is none."""
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(f"unknown adapter {name!r}; known: {', '.join(NAMES)}")


def adapter_kinds() -> list[str]:
    """The adapter names a config may use."""
    return sorted(NAMES)


def get_adapter(kind: str, options: Mapping[str, Any] | None = None) -> Adapter:
    """Build the adapter registered under `kind` with its options."""
    return adapter_kind(kind).make(options)
