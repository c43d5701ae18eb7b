"""Config validation: clear errors naming file, key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.config import ConfigError, load_settings
from tests.conftest import write_config

SRC = {"name": "kcna-latest", "adapter": "kcna", "url": "http://127.0.0.1:9/en/article/list/x", "interval": 600}


def test_valid_config_loads_with_defaults(tmp_path: Path) -> None:
    """A minimal config loads; the database path is relative to the config file."""
    s = load_settings(write_config(tmp_path / "m.toml", [SRC]))
    assert s.sources[0].name == "kcna-latest"
    assert s.sources[0].fetch_articles is False
    assert s.db_path == tmp_path / "monitor.db"


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    """A misspelt key is an error naming the file, the source and the key."""
    path = write_config(tmp_path / "m.toml", [{**SRC, "intervall": 5}])
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    msg = str(exc.value)
    assert str(path) in msg and "intervall" in msg and "kcna-latest" in msg and "unknown key" in msg


def test_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    """A string where a number belongs names the key and the expected type."""
    path = write_config(tmp_path / "m.toml", [{**SRC, "interval": "often"}])
    with pytest.raises(ConfigError, match=r"sources\[0\].*interval.*number"):
        load_settings(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A config path that does not exist is reported as such."""
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_duplicate_source_names_rejected(tmp_path: Path) -> None:
    """Two sources with one name are an error naming the name."""
    with pytest.raises(ConfigError, match="duplicate source name 'kcna-latest'"):
        load_settings(write_config(tmp_path / "m.toml", [SRC, SRC]))


def test_unknown_adapter_lists_the_known_ones(tmp_path: Path) -> None:
    """An adapter name that does not exist is an error listing the valid names."""
    with pytest.raises(ConfigError, match="kcnawatch"):
        load_settings(write_config(tmp_path / "m.toml", [{**SRC, "adapter": "kcna2"}]))


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    """Broken TOML syntax is reported with the file name."""
    path = tmp_path / "m.toml"
    path.write_text("[storage\npath = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)


def test_webhook_secret_from_env_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhook secrets come from the environment or a file, and a missing variable is a clear error."""
    monkeypatch.setenv("HOOK_SECRET", "whsec_c2VjcmV0")
    s = load_settings(write_config(tmp_path / "a.toml", [SRC], '[alerts.webhook]\nurl = "http://127.0.0.1:1/h"\n'
                                   'secret_env = "HOOK_SECRET"\n'))
    assert s.alerts.webhook is not None and s.alerts.webhook.resolved_secret() == "whsec_c2VjcmV0"
    (tmp_path / "secret").write_text("whsec_ZmlsZQ==\n")
    s = load_settings(write_config(tmp_path / "b.toml", [SRC], '[alerts.webhook]\nurl = "http://127.0.0.1:1/h"\n'
                                   f'secret_file = "{tmp_path / "secret"}"\n'))
    assert s.alerts.webhook is not None and s.alerts.webhook.resolved_secret() == "whsec_ZmlsZQ=="
    monkeypatch.delenv("HOOK_SECRET")
    s = load_settings(tmp_path / "a.toml")
    with pytest.raises(ConfigError, match="HOOK_SECRET is not set"):
        assert s.alerts.webhook is not None
        s.alerts.webhook.resolved_secret()


def test_secret_never_in_repr(tmp_path: Path) -> None:
    """A secret written in the config does not show in the settings' repr (and so not in logs)."""
    s = load_settings(write_config(tmp_path / "a.toml", [SRC], '[alerts.webhook]\nurl = "http://127.0.0.1:1/h"\n'
                                   'secret = "whsec_dG9wc2VjcmV0"\n'))
    assert "dG9wc2VjcmV0" not in repr(s)


def test_cli_exits_2_naming_the_key(tmp_path: Path) -> None:
    """`monitor run --once` on a config with a misspelt key exits 2 and names the key."""
    path = write_config(tmp_path / "m.toml", [{**SRC, "fetch_article": True}])
    result = CliRunner().invoke(app, ["--config", str(path), "run", "--once"])
    assert result.exit_code == 2
    assert "fetch_article" in result.output


def test_cli_missing_config_exits_2(tmp_path: Path) -> None:
    """A missing config file exits 2 with a message naming it."""
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "none.toml"), "status"])
    assert result.exit_code == 2
    assert "none.toml" in result.output


def test_shipped_config_is_valid() -> None:
    """config/monitor.toml of the repository validates."""
    s = load_settings(Path(__file__).resolve().parents[1] / "config" / "monitor.toml")
    assert {src.adapter for src in s.sources} >= {"kcna", "kcnawatch", "rodong"}


def test_css_source_selectors_are_checked(tmp_path: Path) -> None:
    """A css source needs item and title selectors; an unknown selector key is named in the error."""
    css = {**SRC, "adapter": "css", "css": {"item": "li", "title": "a"}}
    assert load_settings(write_config(tmp_path / "ok.toml", [css])).sources[0].adapter_options["item"] == "li"
    with pytest.raises(ConfigError, match=r"needs a \[sources\.css\] table"):
        load_settings(write_config(tmp_path / "a.toml", [{**SRC, "adapter": "css"}]))
    with pytest.raises(ConfigError, match="titel"):
        load_settings(write_config(tmp_path / "b.toml", [{**css, "css": {"item": "li", "titel": "a"}}]))


def test_every_problem_is_said_in_one_line_duplicates_included(tmp_path: Path) -> None:
    """A config with a misspelt key and a duplicate source name gives one error line naming both problems."""
    path = tmp_path / "m.toml"
    path.write_text('[fetch]\ntimeuot = 3\n\n[[sources]]\nname = "a"\nadapter = "kcna"\nurl = "http://x/"\n\n'
                    '[[sources]]\nname = "a"\nadapter = "kcna"\nurl = "http://y/"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message and "fetch.timeuot" in message and "duplicate source name 'a'" in message
