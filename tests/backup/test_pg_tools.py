"""Choosing the PostgreSQL client tools, with the binaries found on this machine."""

from __future__ import annotations

import pytest

from press.backup.pg_tools import ToolError, embedded_tool, external_pg_dump, external_pg_restore
from press.backup.take import libpq_target


def test_the_pg_dump_chosen_is_not_older_than_the_server() -> None:
    embedded = embedded_tool("pg_dump")
    chosen = external_pg_dump(embedded.major)
    assert chosen.major >= embedded.major
    assert external_pg_restore(embedded.major).major >= embedded.major


def test_a_server_newer_than_every_pg_dump_is_refused_naming_what_to_install() -> None:
    with pytest.raises(ToolError) as refused:
        external_pg_dump(99)
    message = str(refused.value)
    assert "pg_dump must be 99 or newer" in message
    embedded = embedded_tool("pg_dump")  # always among those found
    assert "found pg_dump: " in message
    assert f"{embedded.major} ({embedded.path})" in message
    assert "postgresql-client-99" in message
    assert "--pg-bin" in message


def test_the_password_goes_to_the_environment_not_the_command_line() -> None:
    url, env = libpq_target(
        "postgresql://press:s%C3%A4l@db.city.example:6432/press?sslmode=require"
    )
    assert url == "postgresql://press@db.city.example:6432/press?sslmode=require"
    assert env == {"PGPASSWORD": "säl"}
    assert libpq_target("postgresql://postgres@/press?host=/run/pg") == (
        "postgresql://postgres@/press?host=/run/pg",
        {},
    )
