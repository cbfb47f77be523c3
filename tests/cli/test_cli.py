"""The `press` command, run as an operator would."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from press.cli import main
from tests.conftest import _admin, clone_database, drop_database


@pytest.fixture
async def database_env(tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    url = await clone_database("cli" + os.urandom(3).hex())
    yield {"DATABASE_URL": url, "PRESS_DATA_DIR": str(tmp_path)}
    await drop_database(url)


@pytest.fixture
async def empty_database_env(tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    """A database press has never seen: no schema at all."""
    url = await clone_database("cliempty" + os.urandom(3).hex())
    await _admin(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    yield {"DATABASE_URL": url, "PRESS_DATA_DIR": str(tmp_path)}
    await drop_database(url)


def test_help_reads_well() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "db", "users", "demo"):
        assert command in result.output


def test_users_create_then_list(database_env: dict[str, str]) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main,
        ["users", "create", "chief@city.example", "--role", "admin", "--password-stdin"],
        input="a very good password\n",
        env=database_env,
    )
    assert created.exit_code == 0, created.output
    assert "created admin chief@city.example" in created.output
    again = runner.invoke(
        main,
        ["users", "create", "CHIEF@city.example", "--role", "editor", "--password-stdin"],
        input="a very good password\n",
        env=database_env,
    )
    assert again.exit_code == 1
    assert "exists already" in again.output
    listed = runner.invoke(main, ["users", "list"], env=database_env)
    assert "chief@city.example" in listed.output
    assert "admin" in listed.output


def test_users_create_on_a_new_database_migrates_it_first(
    empty_database_env: dict[str, str],
) -> None:
    created = CliRunner().invoke(
        main,
        ["users", "create", "chief@city.example", "--role", "admin", "--password-stdin"],
        input="a very good password\n",
        env=empty_database_env,
    )
    assert created.exit_code == 0, created.output
    status = CliRunner().invoke(main, ["db", "status"], env=empty_database_env)
    assert "the database is up to date" in status.output


def test_a_command_on_a_database_without_schema_names_what_to_run(
    empty_database_env: dict[str, str],
) -> None:
    listed = CliRunner().invoke(main, ["users", "list"], env=empty_database_env)
    assert listed.exit_code == 1
    assert "run `press db migrate`" in listed.output
    assert "Traceback" not in listed.output


def test_short_password_is_refused_in_one_line(database_env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main,
        ["users", "create", "x@city.example", "--role", "viewer", "--password-stdin"],
        input="short\n",
        env=database_env,
    )
    assert result.exit_code == 1
    assert "password" in result.output
    assert "Traceback" not in result.output


def test_db_status_lists_applied_migrations(database_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["db", "status"], env=database_env)
    assert result.exit_code == 0, result.output
    assert "applied  0001_initial.sql" in result.output
    assert "up to date" in result.output


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRESS_TIMEZONE", "Mars/Olympus"),
        ("PRESS_PUBLIC_URL", "press.example"),
        ("DATABASE_URL", "mysql://x"),
        ("PRESS_MAX_UPLOAD_MB", "lots"),
        ("PRESS_PUBLIC_CACHE_MB", "-1"),
        ("PRESS_WEBHOOK_ALLOW_NETWORKS", "10.0.0.0/8,intranet"),
        ("PRESS_HEADER_TIMEOUT_SECONDS", "0"),
        ("PRESS_BODY_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_wrong_setting_gives_one_clear_line(name: str, value: str) -> None:
    result = CliRunner().invoke(main, ["db", "status"], env={name: value})
    assert result.exit_code == 1
    assert name in result.output
    assert "Traceback" not in result.output


def test_files_sweep_lists_then_removes_bytes_no_file_has(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    from press.archive.storage import LocalStorage
    from tests.archive.samples import keep_with_renditions

    orphan = keep_with_renditions(LocalStorage(tmp_path / "files"), b"orphan")
    dry = CliRunner().invoke(main, ["files", "sweep", "--dry-run"], env=database_env)
    assert dry.exit_code == 0, dry.output
    assert f"would remove object {orphan}" in dry.output
    assert "would remove 1 objects, 2 renditions and 0 abandoned uploads" in dry.output
    assert (tmp_path / "files" / "objects" / orphan[:2] / orphan).exists()
    done = CliRunner().invoke(main, ["files", "sweep"], env=database_env)
    assert done.exit_code == 0, done.output
    assert "removed 1 objects, 2 renditions and 0 abandoned uploads" in done.output
    assert not (tmp_path / "files" / "objects" / orphan[:2] / orphan).exists()


def fetch_value(url: str, query: str, *args: object) -> object:
    """One value from the database, outside the command's own event loops."""
    from press.db import connect

    async def fetch() -> object:
        conn = await connect(url)
        try:
            return await conn.fetchval(query, *args)
        finally:
            await conn.close()

    return asyncio.run(fetch())


def test_users_reset_second_factor_turns_it_off_and_is_audited(
    database_env: dict[str, str],
) -> None:
    runner = CliRunner()
    email, url = "lost.phone@city.example", database_env["DATABASE_URL"]
    created = runner.invoke(
        main,
        ["users", "create", email, "--role", "approver", "--password-stdin"],
        input="a very good password\n",
        env=database_env,
    )
    assert created.exit_code == 0, created.output
    fetch_value(
        url,
        "INSERT INTO staff_totp (user_id, secret, confirmed_at) "
        "SELECT id, 'JBSWY3DPEHPK3PXP', now() FROM staff_users WHERE email = $1 RETURNING 1",
        email,
    )
    reset = runner.invoke(main, ["users", "reset-second-factor", email], env=database_env)
    assert reset.exit_code == 0, reset.output
    assert f"reset the second factor of {email}" in reset.output
    assert fetch_value(url, "SELECT count(*) FROM staff_totp") == 0
    audited = fetch_value(
        url, "SELECT changes->>'was_on' FROM audit_log WHERE action = 'staff.second_factor_reset'"
    )
    assert audited == "true"
    again = runner.invoke(main, ["users", "reset-second-factor", email], env=database_env)
    assert "had none on" in again.output
    unknown = runner.invoke(
        main, ["users", "reset-second-factor", "nobody@city.example"], env=database_env
    )
    assert unknown.exit_code == 1
