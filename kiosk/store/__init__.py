"""The data layer: every SQL statement of kiosk lives in this package.

`connect` opens a SQLite file the way the service needs it (WAL, a busy timeout, full
synchronous commits) and applies pending migrations; the modules beside it hold the
queries, one module per group of tables. Callers get plain dicts and dataclasses back.
"""

from kiosk.store.connection import (
    STORAGE_MESSAGES,
    connect,
    now,
    storage_problem,
    transaction,
)

__all__ = ["STORAGE_MESSAGES", "connect", "now", "storage_problem", "transaction"]
