"""structlog set-up: JSON lines when stderr is not a terminal, readable console output otherwise.

structlog (with the console renderer and its traceback support) takes about a tenth of a second to import, and
most commands log nothing: it is imported at the first log call, with the configuration asked for by then.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    import structlog
    from structlog.typing import FilteringBoundLogger

Format = Literal["auto", "json", "console"]
_wanted: tuple[str, Format] = ("info", "auto")
_applied: tuple[str, Format] | None = None
# one thread imports and configures structlog at a time: threads logging for the first time at once would
# otherwise meet a half-imported module
_lock = threading.Lock()


def configure_logging(level: str = "info", fmt: Format = "auto", *, now: bool = False) -> None:
    """Configure structlog (and the stdlib root logger) for the process; structlog itself at its first use, or
    `now` (a process with threads that log: the first log calls must not race the import)."""
    global _wanted
    _wanted = (level, fmt)
    numeric = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(level=max(numeric, logging.WARNING), stream=sys.stderr, format="%(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))
    if now or "structlog" in sys.modules:
        _apply()


def _apply() -> None:
    """Configure structlog as last asked (once per request)."""
    global _applied
    with _lock:
        if _applied != _wanted:
            _configure()
            _applied = _wanted


def _configure() -> None:
    import structlog

    level, fmt = _wanted
    numeric = getattr(logging, level.upper(), logging.INFO)
    as_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


def _stderr_logger(*args: object) -> structlog.PrintLogger:
    """A logger writing to whatever sys.stderr is now (tests and tools swap it)."""
    import structlog

    return structlog.PrintLogger(file=sys.stderr)


class _Deferred:
    """A logger that imports and configures structlog at its first call."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        _apply()  # imports structlog (under the lock) the first time
        import structlog

        return getattr(structlog.get_logger(component=self._name), attr)


def get_logger(name: str) -> FilteringBoundLogger:
    """A structlog logger bound to a component name."""
    return cast("FilteringBoundLogger", _Deferred(name))
