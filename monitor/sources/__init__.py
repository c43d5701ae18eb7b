"""Registry of site adapters, chosen by the config key `adapter` (never by host name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.sources.base import Adapter, AdapterFactory

_REGISTRY: dict[str, AdapterFactory] = {}
_BUILTIN = ("kcna", "rodong", "kcnawatch", "naenara", "css")


def register(kind: str, factory: AdapterFactory) -> None:
    """Make an adapter available under `kind`."""
    _REGISTRY[kind] = factory


def adapter_kinds() -> list[str]:
    """The adapter names a config may use."""
    _load_builtin()
    return sorted(_REGISTRY)


def get_adapter(kind: str, options: Mapping[str, Any] | None = None) -> Adapter:
    """Build the adapter registered under `kind` with its options."""
    _load_builtin()
    try:
        factory = _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown adapter {kind!r}; known: {', '.join(sorted(_REGISTRY))}") from None
    return factory(options or {})


def _load_builtin() -> None:
    """Import the built-in adapter modules (each registers itself); cheap once they are all in."""
    if all(name in _REGISTRY for name in _BUILTIN):
        return
    import importlib

    for name in _BUILTIN:
        importlib.import_module(f"monitor.sources.{name}")
