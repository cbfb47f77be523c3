"""What `press db backup` refuses before it touches the database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from press.cli import main


def test_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "monday.backup"
    existing.write_bytes(b"an older backup")
    env = {"PRESS_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    result = CliRunner().invoke(main, ["db", "backup", str(existing)], env=env)
    assert result.exit_code == 1
    assert "exists already: give a new file name" in result.output
    assert existing.read_bytes() == b"an older backup"
    result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "no" / "b")], env=env)
    assert result.exit_code == 1
    assert "is not a folder" in result.output
    assert not (tmp_path / "data").exists()
