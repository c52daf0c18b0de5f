from pathlib import Path

import pytest

from models import settings


def test_environment_then_secrets_then_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('PARCOURS_MIN_CELL = 7\n[section]\nPARCOURS_LANG = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PARCOURS_MIN_CELL", raising=False)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    settings._secrets.cache_clear()
    assert settings.get_setting("PARCOURS_MIN_CELL") == "7"  # from secrets.toml
    assert settings.get_setting("PARCOURS_LANG") == "fr"  # tables in secrets are not settings: default
    monkeypatch.setenv("PARCOURS_MIN_CELL", "9")
    assert settings.get_setting("PARCOURS_MIN_CELL") == "9"  # the environment wins
    settings._secrets.cache_clear()


def test_unknown_setting_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        settings.get_setting("NOT_A_SETTING")
