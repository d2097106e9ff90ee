"""Schema changes are sqlite-utils migrations: each recorded once, applied in order."""

from __future__ import annotations

import inspect

from kiosk.store import connect, schema


def test_every_schema_function_is_a_registered_migration():
    """A function in kiosk/store/schema.py without its @migrations() line would never run
    (it happened once, in a merge: a table the console needs was simply missing)."""
    public = {name for name, fn in inspect.getmembers(schema, inspect.isfunction)
              if fn.__module__ == schema.__name__ and not name.startswith("_")}
    registered = {migration.name for migration in schema.migrations._migrations}
    assert public == registered


def test_a_fresh_database_has_every_migration_applied_and_a_second_connect_adds_none(tmp_path):
    """Opening a database applies what is pending; opening it again changes nothing."""
    db = connect(tmp_path / "k.db")
    applied = {row["name"] for row in db["_sqlite_migrations"].rows}
    assert applied == {m.name for m in schema.migrations._migrations}
    db.close()
    again = connect(tmp_path / "k.db")
    assert again["_sqlite_migrations"].count == len(applied)
    again.close()
