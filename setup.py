"""Build of monitor: the classifier compiled to C with mypyc where that works, pure Python where it does not.

The modules compiled are listed in pyproject.toml (`[tool.monitor] native`). A compiled module behaves exactly
as its source; it is only faster (the classification benchmark checks the two agree, item for item). The build
falls back to pure Python, with a warning, when mypyc or a C compiler is missing or fails, so an install never
fails for want of a compiler. It is never compiled:

- in an editable install (`pip install -e`), where a compiled module would hide every later edit of its source;
- when the environment sets MONITOR_PURE_PYTHON=1.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
# the commands that build a wheel or install; metadata-only commands (egg_info, dist_info) need no C
_BUILDING = {"bdist_wheel", "build", "build_ext", "install"}


def native_modules() -> list[str]:
    """The source files to compile, from pyproject.toml."""
    config = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["monitor"]["native"])


def _skip_reason(argv: list[str]) -> str | None:
    if os.environ.get("MONITOR_PURE_PYTHON", "").strip() not in ("", "0"):
        return "MONITOR_PURE_PYTHON is set"
    if "editable_wheel" in argv or "develop" in argv:
        return "editable install"
    if not _BUILDING & set(argv):
        return "not a build"
    return None


def _warn(message: str) -> None:
    print(f"monitor build: {message}; the classifier stays pure Python (same results, slower)", file=sys.stderr)


def native_extensions(argv: list[str]) -> list[Any]:
    """The mypyc extensions to build, or none (see the module docstring for when)."""
    reason = _skip_reason(argv)
    if reason is not None:
        if reason != "not a build":
            _warn(f"not compiled: {reason}")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        _warn(f"mypyc is not available ({exc})")
        return []
    try:
        return list(mypycify(native_modules(), opt_level="3", group_name="monitor_native"))
    except (Exception, SystemExit) as exc:  # mypy reports type errors by exiting
        _warn(f"mypyc could not translate the classifier ({exc!r})")
        return []


class OptionalBuildExt(build_ext):
    """`build_ext` that gives up on all the extensions, not the install, when one of them fails to compile.

    All or nothing: a compiled module without the shared library it calls into would fail at import.
    """

    def run(self) -> None:
        """Build every extension; on a failure remove whatever was built and carry on without."""
        try:
            super().run()
        except Exception as exc:
            for built in self.get_outputs():
                Path(built).unlink(missing_ok=True)
            self.extensions = []
            _warn(f"the C build failed ({exc})")


if __name__ == "__main__":  # as pip's build backend runs it (the tests import the helpers above)
    setup(ext_modules=native_extensions(sys.argv), cmdclass={"build_ext": OptionalBuildExt})
