"""Bulk inserts of attendees (a first import of 100,000 rows): the rows derived from them,
the search index (kiosk.store.search_index) and the headcounts' change log
(kiosk.store.tallies), written in one statement each at the end rather than by a trigger
per row, which made a first import three times slower.

The insert triggers skip their work while `search_state.bulk` is 1; it is 1 only inside
the bulk insert's transaction, so no other connection ever sees it set.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database

from kiosk.store.connection import transaction


@contextlib.contextmanager
def inserting(db: Database) -> Iterator[None]:
    """Insert attendees inside this block (new ids only, above every existing one)."""
    with transaction(db):
        before = db.execute("SELECT coalesce(max(id), 0) FROM attendees").fetchone()[0]
        db.execute("UPDATE search_state SET bulk = 1 WHERE id = 1")
        yield
        db.execute("UPDATE search_state SET bulk = 0 WHERE id = 1")
        for table in ("attendee_search", "attendee_words"):
            db.execute(f"INSERT INTO {table} (rowid, search_key)"
                       f" SELECT id, search_key FROM attendees WHERE id > ?", [before])
        db.execute("UPDATE search_state SET version = version + 1 WHERE id = 1")
        db.execute("INSERT OR REPLACE INTO tally_changes (attendee_id, seq)"
                   " SELECT id, (SELECT coalesce(max(seq), 0) FROM tally_changes)"
                   " + row_number() OVER (ORDER BY id) FROM attendees WHERE id > ?", [before])
