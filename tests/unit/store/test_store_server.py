"""A store on a PostgreSQL server: migrations, refusals, masking, backups, moving stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from pilotbook.db import schema
from pilotbook.errors import StoreError
from pilotbook.urls import driver_url
from pilotbook.workshop import open_workshop
from pilotbook.workshop.playbooks import StaticPlaybooks


def _location(engine_kind, tmp_path, request):  # type: ignore[no-untyped-def]
    if engine_kind == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "store.db")


def _raw_engine(location: str):  # type: ignore[no-untyped-def]
    if location.startswith("postgresql"):
        return create_engine(driver_url(location))
    return create_engine(f"sqlite:///{location}")


def test_migration_0004_numbers_old_twin_revisions_again(engine_kind, tmp_path, request):
    """A store from before the unique history (twins made by two writers) migrates."""
    from pilotbook.db import engine as store_engine
    from pilotbook.db import migrate

    location = _location(engine_kind, tmp_path, request)
    if engine_kind == "sqlite":
        store_engine.prepare_file(tmp_path / "store.db")
    eng = _raw_engine(location)
    migrate.upgrade(eng, "0003")
    at = "2026-01-01 10:00:00+00:00"
    with eng.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO pilot (id, slug, name, playbook_id, playbook_version, phase,"
                " created_at, updated_at, archived) VALUES"
                " ('p1', 'p', 'P', 'store-test', 1, 'before', :at, :at, false)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO answer (id, pilot_id, question_id, value_json, revision, updated_at,"
                " answered) VALUES ('a1', 'p1', 'name', '\"b\"', 2, :at, true)"
            ),
            {"at": at},
        )
        for n, (event_id, revision) in enumerate([("e1", 1), ("e2", 2), ("e3", 2)]):
            conn.execute(
                text(
                    "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json,"
                    " revision, at) VALUES (:id, 'p1', 'name', 'set', :v, :r, :at)"
                ),
                {"id": event_id, "v": f'"{n}"', "r": revision, "at": f"2026-01-0{n + 1} 10:00Z"},
            )
    eng.dispose()
    ws = open_workshop(location)
    events = ws.answers.history("p1", "name")
    assert [(e.revision, e.value) for e in events] == [(1, "0"), (2, "1"), (3, "2")]
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT revision FROM answer")).scalar() == 3
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            schema.HEAD
        )
    ws.close()


def test_a_newer_server_store_is_refused_untouched(pg_url):
    open_workshop(pg_url).close()
    eng = _raw_engine(pg_url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer pilotbook") as caught:
        open_workshop(pg_url)
    assert "s3cret" not in str(caught.value)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        tables = conn.execute(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
        ).scalar()
    eng.dispose()
    from pilotbook.db import schema

    # The tables of the current schema and alembic_version, nothing added.
    assert tables == len(schema.TABLES[schema.HEAD]) + 1


def test_errors_never_show_the_password(pg_server):
    wrong = pg_server.url("no_such_db")
    with pytest.raises(StoreError) as caught:
        open_workshop(wrong)
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_wrong_password_says_the_login_was_refused_without_showing_it(pg_url):
    wrong = pg_url.replace(":s3cret-test@", ":not-the-password@")
    with pytest.raises(StoreError, match="refused the login") as caught:
        open_workshop(wrong)
    assert "not-the-password" not in str(caught.value)


def test_without_the_driver_one_line_names_the_extra(pg_url):
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from pilotbook.cli import main\n"
        f"sys.argv = ['pilotbook', '--db', {pg_url!r}, 'list']\n"
        "main()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 69
    assert out.stderr.strip().splitlines() == [
        "error: a PostgreSQL store needs its driver: pip install 'pilotbook[postgres]'"
    ]


def test_backup_of_a_server_store_is_a_logical_backup_that_load_restores(
    pg_url, tmp_path, test_playbook
):
    ws = open_workshop(pg_url, playbooks=StaticPlaybooks([test_playbook]))
    pilot = ws.pilots.create("Team", playbook_id="store-test")
    ws.answers.set(pilot.id, "name", "kept")
    made = ws.transfer.backup(tmp_path / "team.json")
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    data = json.loads(made.read_text(encoding="utf-8"))
    assert data["format"] == "pilotbook-dump" and len(data["pilots"]) == 1
    with pytest.raises(StoreError, match="already exists"):
        ws.transfer.backup(made)
    restored = open_workshop(str(tmp_path / "r.db"), playbooks=StaticPlaybooks([test_playbook]))
    restored.transfer.load(data)
    assert restored.pilots.open(pilot.id).answers["name"].value == "kept"


def test_sqlite_to_postgresql_to_sqlite_gives_byte_identical_dumps(tmp_path, pg_url, test_playbook):
    from pilotbook.demo import fill_demo

    def dumped(ws) -> str:  # type: ignore[no-untyped-def]
        return json.dumps(ws.transfer.dump(), indent=1, ensure_ascii=False)

    laptop = open_workshop(str(tmp_path / "laptop.db"))
    fill_demo(laptop)
    other = laptop.pilots.create("Hostile ‮ name", facilitator="Zoë")
    laptop.answers.set(other.id, "rollout_commitment", "committed")
    laptop.answers.set_note(other.id, "rollout_commitment", "line one\nline two ✓")
    laptop.answers.undo(other.id, "rollout_commitment")
    first = dumped(laptop)
    team = open_workshop(pg_url)
    team.transfer.load(json.loads(first))
    assert dumped(team) == first
    back = open_workshop(str(tmp_path / "back.db"))
    back.transfer.load(json.loads(dumped(team)))
    assert dumped(back) == first
    for ws in (laptop, team, back):
        ws.close()


def test_a_config_file_names_the_store_and_its_password_must_be_private(
    pg_server, pg_url, tmp_path, monkeypatch
):
    from pilotbook.locations import resolve_store
    from pilotbook.urls import mask

    bare = pg_url.replace(":s3cret-test@", "@")
    config = tmp_path / "pilotbook.toml"
    config.write_text(f'[store]\nurl = "{bare}"\npassword = "s3cret-test"\n')
    os.chmod(config, 0o644)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="chmod 600"):
        resolve_store()
    os.chmod(config, 0o600)
    located = resolve_store()
    assert located.why == f"[store] in {config}"
    assert "s3cret" not in located.shown and located.shown == mask(located.value)
    ws = open_workshop()
    assert ws.engine.dialect.name == "postgresql"
    ws.close()
