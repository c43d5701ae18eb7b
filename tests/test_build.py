"""The build (setup.py): the classifier compiled where it can be, pure Python where not, never a failed install."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from monitor.classify import compiled
from monitor.runtime.doctor import check_classifier

REPO = Path(__file__).resolve().parents[1]


def _setup_module() -> ModuleType:
    """setup.py loaded as a module (not as __main__, so setup() itself is not run)."""
    pytest.importorskip("setuptools")
    spec = importlib.util.spec_from_file_location("monitor_setup", REPO / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_native_modules_are_classifier_sources() -> None:
    """Every module listed for compiling is a source of monitor/classify, and the list is the one setup.py reads."""
    listed = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["monitor"]["native"]
    assert listed and listed == _setup_module().native_modules()
    for path in listed:
        assert path.startswith("monitor/classify/") and (REPO / path).is_file()
    assert "monitor/classify/__init__.py" not in listed  # `compiled()` reads the package's own file


@pytest.mark.parametrize(("argv", "env", "reason"), [
    (["setup.py", "bdist_wheel"], "", None),
    (["setup.py", "build_ext", "--inplace"], "", None),
    (["setup.py", "editable_wheel"], "", "editable install"),
    (["setup.py", "dist_info"], "", "not a build"),
    (["setup.py", "bdist_wheel"], "1", "MONITOR_PURE_PYTHON is set"),
    (["setup.py", "bdist_wheel"], "0", None),
])
def test_when_the_classifier_is_compiled(argv: list[str], env: str, reason: str | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Wheels and in-place builds compile; editable installs, metadata steps and MONITOR_PURE_PYTHON=1 do not."""
    monkeypatch.setenv("MONITOR_PURE_PYTHON", env)
    assert _setup_module()._skip_reason(argv) == reason


def test_no_mypyc_means_pure_python(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Without mypyc the build lists no extensions and says on stderr that the classifier stays pure Python."""
    monkeypatch.delenv("MONITOR_PURE_PYTHON", raising=False)
    monkeypatch.setitem(sys.modules, "mypyc.build", None)
    assert _setup_module().native_extensions(["setup.py", "bdist_wheel"]) == []
    assert "pure Python" in capsys.readouterr().err


def test_a_failed_c_build_leaves_no_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When one C file fails to compile, build_ext removes what it built and returns, instead of failing the install."""
    setup = _setup_module()
    from setuptools import Distribution, Extension

    (tmp_path / "good.c").write_text("#include <Python.h>\nstatic struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "
                                     '"good"};\nPyMODINIT_FUNC PyInit_good(void) { return PyModule_Create(&m); }\n')
    (tmp_path / "bad.c").write_text("this is not C\n")
    dist = Distribution({"name": "probe", "ext_modules": [Extension("good", [str(tmp_path / "good.c")]),
                                                          Extension("bad", [str(tmp_path / "bad.c")])]})
    command = setup.OptionalBuildExt(dist)
    command.build_lib = str(tmp_path / "lib")
    command.build_temp = str(tmp_path / "temp")
    command.ensure_finalized()
    command.run()
    assert command.extensions == []
    assert not list(tmp_path.rglob("*.so"))  # good.so was built, then taken back: all or nothing
    if shutil.which("cc") or shutil.which("gcc"):
        assert list(tmp_path.rglob("good.o"))
    assert "the C build failed" in capsys.readouterr().err


def test_doctor_says_how_the_classifier_runs() -> None:
    """`monitor doctor` names the build of the classifier in use, and how to get the compiled one when it is not."""
    check = check_classifier()
    assert check.level == "ok"
    if compiled():
        assert "compiled" in check.detail
    else:
        assert "pure Python" in check.detail and "pip install ." in check.detail
