"""The `monitor` command line: `commands` (a thin Typer layer over the library) and `views` (every Rich table)."""

from monitor.cli.commands import app, main

__all__ = ["app", "main"]
