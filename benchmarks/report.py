"""Results of one benchmark and their rendering as a BENCHMARKS.md section."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Check:
    """A target and whether the measurement met it."""

    what: str
    ok: bool


@dataclass
class Section:
    """What one benchmark measured: a table, notes, checks against targets, and key figures."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def check(self, what: str, ok: bool) -> None:
        """Record a target and whether it was met."""
        self.checks.append(Check(what, ok))

    def markdown(self) -> str:
        """The section as Markdown."""
        lines = [f"## {self.title}", ""]
        if self.rows:
            lines.append("| " + " | ".join(self.headers) + " |")
            lines.append("|" + "|".join("---" for _ in self.headers) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in self.rows]
            lines.append("")
        for check in self.checks:
            lines.append(f"- {'met' if check.ok else '**MISSED**'}: {check.what}")
        if self.checks:
            lines.append("")
        lines += [f"{note}" if note.startswith(("-", "```", "    ")) else f"- {note}" for note in self.notes]
        if self.notes:
            lines.append("")
        return "\n".join(lines)


def fmt(value: float, digits: int = 0) -> str:
    """A number with thousands separators."""
    return f"{value:,.{digits}f}"
