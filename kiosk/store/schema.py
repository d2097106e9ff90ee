"""Schema changes as sqlite-utils migrations: recorded in the database, applied in order,
never a drop-and-recreate on a live event database. Add a new function to change the
schema; never edit one that has shipped."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("kiosk")


@migrations()
def create_attendees(db: Database) -> None:
    db.execute("""
        CREATE TABLE attendees (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',   -- as registered
            bestuur TEXT,                            -- canonical name from the event file
            function TEXT NOT NULL DEFAULT '',
            sessions TEXT NOT NULL DEFAULT '{}',     -- JSON {block id: theme id}
            meals TEXT NOT NULL DEFAULT '{}',        -- JSON {catering id: true/false}
            diet TEXT NOT NULL DEFAULT '',           -- free text as registered
            diets TEXT NOT NULL DEFAULT '[]',        -- JSON [diet category id]
            comments TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'registered'
                CHECK (status IN ('registered', 'cancelled', 'walk-in')),
            badge_code TEXT NOT NULL UNIQUE,
            badge_version INTEGER NOT NULL DEFAULT 1, -- bumped when what the badge shows changes
            printed_version INTEGER NOT NULL DEFAULT 0,
            search_key TEXT NOT NULL DEFAULT '',     -- folded names for the reception search
            source_row INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            cancelled_at TEXT
        )""")
    db.execute("CREATE INDEX attendees_status ON attendees(status)")


@migrations()
def create_movements(db: Database) -> None:
    # The append-only scan log: check-ins, room entries, exits and their undos.
    db.execute("""
        CREATE TABLE movements (
            id INTEGER PRIMARY KEY,
            attendee_id INTEGER NOT NULL REFERENCES attendees(id),
            location TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            kind TEXT NOT NULL DEFAULT 'scan',
            scan_id TEXT UNIQUE,
            station_id INTEGER,
            client_time TEXT,
            recorded_at TEXT NOT NULL,
            undoes INTEGER REFERENCES movements(id)
        )""")
    db.execute("CREATE INDEX movements_attendee ON movements(attendee_id, id)")


@migrations()
def create_stations(db: Database) -> None:
    db.execute("""
        CREATE TABLE stations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reception', 'host', 'caterer', 'organiser')),
            location TEXT,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT,
            revoked_at TEXT
        )""")


@migrations()
def create_import_log(db: Database) -> None:
    db.execute("""
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            filename TEXT NOT NULL,
            started_at TEXT NOT NULL,
            partial INTEGER NOT NULL DEFAULT 0,
            counts TEXT NOT NULL DEFAULT '{}'
        )""")
    db.execute("""
        CREATE TABLE import_rows (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            row_number INTEGER NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
            field TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            row_values TEXT NOT NULL DEFAULT '{}'
        )""")


@migrations()
def index_movements_for_presence(db: Database) -> None:
    # Presence asks "was this movement undone?" for every movement: index the back-link.
    db.execute("CREATE INDEX movements_undoes ON movements(undoes)")
    db.execute("CREATE INDEX movements_location ON movements(location, id)")



# Everyone's current state, derived from the movement log by the database itself, in the
# transaction that writes the movement, so that counting who arrived and who is on site
# does not read the whole log on every scan. Never written by hand: triggers recompute a
# person's row from their live movements whenever one of their movements is inserted,
# changed or deleted (a person without movements has no row).
_LIVE = "m.kind = 'scan' AND NOT EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)"
_PRESENCE_ROWS = f"""
    INSERT INTO presence (attendee_id, first_in, movement_id, location, direction)
    SELECT p.who, p.first_in, p.last_id, last.location, last.direction
    FROM (SELECT {{who}} AS who,
            (SELECT min(m.recorded_at) FROM movements m WHERE m.attendee_id = {{who}}
                AND m.direction = 'in' AND {_LIVE}) AS first_in,
            (SELECT m.id FROM movements m WHERE m.attendee_id = {{who}} AND {_LIVE}
                ORDER BY m.id DESC LIMIT 1) AS last_id
          {{source}}) AS p
    LEFT JOIN movements last ON last.id = p.last_id
    WHERE EXISTS (SELECT 1 FROM movements WHERE attendee_id = p.who)"""


def _recompute_presence(who: str) -> str:
    return (f"DELETE FROM presence WHERE attendee_id = {who};"
            f" {_PRESENCE_ROWS.format(who=who, source='')};")


@migrations()
def create_presence(db: Database) -> None:
    db.execute("""
        CREATE TABLE presence (
            attendee_id INTEGER PRIMARY KEY,
            first_in TEXT,           -- recorded_at of their first live entry, NULL if none
            movement_id INTEGER,     -- their latest live scan (NULL if none): where they are
            location TEXT,
            direction TEXT
        )""")
    # Small partial indexes, so the counts read a handful of pages rather than every row.
    db.execute("CREATE INDEX presence_not_arrived ON presence(attendee_id) WHERE first_in IS NULL")
    db.execute("CREATE INDEX presence_on_site ON presence(attendee_id) WHERE direction = 'in'")
    for name, rows in (("insert", ["NEW"]), ("delete", ["OLD"]), ("update", ["OLD", "NEW"])):
        body = " ".join(_recompute_presence(f"{row}.attendee_id") for row in rows)
        db.execute(f"CREATE TRIGGER movements_presence_{name} AFTER {name.upper()} ON movements"
                   f" BEGIN {body} END")
    db.execute(_PRESENCE_ROWS.format(
        who="a.attendee_id", source="FROM (SELECT DISTINCT attendee_id FROM movements) AS a"))


@migrations()
def mark_rehearsals(db: Database) -> None:
    # Scans made on a rehearsal clock (and the walk-ins registered during one) are marked,
    # so that `reset --rehearsal` wipes a rehearsal without touching the real day.
    db.execute("ALTER TABLE movements ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE attendees ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX movements_rehearsal ON movements(id) WHERE rehearsal = 1")


@migrations()
def allow_kiosk_role(db: Database) -> None:
    # A new role, `kiosk` (a self check-in tablet). SQLite cannot change a CHECK
    # constraint in place, so the table is rebuilt: created anew with the wider CHECK,
    # every row copied with its id and token hash (paired tablets stay paired), the old
    # table dropped and the new one renamed. Nothing references stations(id) by a
    # foreign key yet, so the drop breaks nothing; the migration runs in one transaction.
    db.execute("""
        CREATE TABLE stations_rebuilt (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL
                CHECK (role IN ('reception', 'host', 'caterer', 'organiser', 'kiosk')),
            location TEXT,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT,
            revoked_at TEXT
        )""")
    columns = "id, name, role, location, token_hash, created_at, last_seen_at, revoked_at"
    db.execute(f"INSERT INTO stations_rebuilt ({columns}) SELECT {columns} FROM stations")
    db.execute("DROP TABLE stations")
    db.execute("ALTER TABLE stations_rebuilt RENAME TO stations")


@migrations()
def create_printers_and_print_jobs(db: Database) -> None:
    # Printers the server sends badges to, and one queue of print jobs per printer. A job
    # is never deleted: done, failed (with the printer's words) or cancelled, it stays.
    db.execute("""
        CREATE TABLE printers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('cups', 'brother_ql', 'zpl')),
            settings TEXT NOT NULL DEFAULT '{}',   -- JSON: queue, address, label, layout...
            created_at TEXT NOT NULL,
            removed_at TEXT
        )""")
    db.execute("""
        CREATE TABLE print_jobs (
            id INTEGER PRIMARY KEY,
            printer_id INTEGER NOT NULL REFERENCES printers(id),
            -- a rehearsal's walk-ins are wiped with their jobs
            attendee_id INTEGER NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,
            reason TEXT NOT NULL DEFAULT 'request'
                CHECK (reason IN ('arrival', 'walk_in', 'reprint', 'request', 'kiosk')),
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'printing', 'done', 'failed', 'cancelled')),
            error TEXT NOT NULL DEFAULT '',        -- the printer's words when it failed
            printer_job TEXT NOT NULL DEFAULT '',  -- the printer's own job id (CUPS)
            badge_version INTEGER,                 -- the version sent, once sent
            attempts INTEGER NOT NULL DEFAULT 0,
            station_id INTEGER,                    -- who asked
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT
        )""")
    db.execute("CREATE INDEX print_jobs_printer ON print_jobs(printer_id, state, id)")
    db.execute("CREATE INDEX print_jobs_attendee ON print_jobs(attendee_id)")


@migrations()
def create_station_settings(db: Database) -> None:
    # What a station does beyond its role: the printer it prints on, whether it prints a
    # badge for everyone it checks in, and (for a kiosk) the staff PIN, hashed.
    db.execute("""
        CREATE TABLE station_settings (
            station_id INTEGER PRIMARY KEY REFERENCES stations(id),
            printer_id INTEGER REFERENCES printers(id),
            print_on_arrival INTEGER NOT NULL DEFAULT 0,
            pin_hash TEXT,                  -- scrypt, salted: 'scrypt$salt$hash'
            pin_failures INTEGER NOT NULL DEFAULT 0,
            pin_locked_until TEXT           -- real time: too many wrong PINs
        )""")


@migrations()
def add_attendee_note(db: Database) -> None:
    # A free-text note for the door ("spreker — naar de sprekerstafel", "pers"), shown at
    # reception in its own colour when the person is scanned.
    db.execute("ALTER TABLE attendees ADD COLUMN note TEXT NOT NULL DEFAULT ''")


@migrations()
def create_report_aggregates(db: Database) -> None:
    # What `purge` keeps of the day: the report's figures, anonymous counts per bestuur,
    # theme, block, time bucket, meal and station (never a name, an e-mail or a code), so
    # the report can be made again once the personal data is gone. One row per group of
    # figures, as JSON; and one row per purge, saying when and how much went.
    db.execute("""
        CREATE TABLE report_aggregates (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            computed_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE purges (
            id INTEGER PRIMARY KEY,
            purged_at TEXT NOT NULL,
            counts TEXT NOT NULL DEFAULT '{}'
        )""")


@migrations()
def create_settings(db: Database) -> None:
    # Settings of the service that the organiser changes in the browser, one row per key:
    # the public address the pairing QR codes point at (kiosk.web.publicurl).
    db.execute("""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")


# The reception search's index (kiosk.store.search_index): two FTS5 tables over the folded
# names, kept in step with attendees by triggers, whichever way a row comes, changes or
# goes (import, walk-in, edit, rehearsal wipe, purge). `attendee_search` (trigram) finds
# a typed piece inside a name word; `attendee_words` splits the names on spaces only
# (punctuation, symbols and marks are part of a word, as in `str.split()`), and its
# vocabulary is the list of distinct name words the one-typo pass reads. `search_state`
# counts the changes to the names, so a reader's copy of that vocabulary knows when to
# read it again.
_SEARCH_TABLES = ("attendee_search", "attendee_words")
_NOT_BULK = "(SELECT bulk FROM search_state WHERE id = 1) = 0"
_WORDS_TOKENIZER = "unicode61 remove_diacritics 0 categories ''L* N* Co M* P* S* Cf''"


@migrations()
def index_names_for_search(db: Database) -> None:
    db.execute("CREATE VIRTUAL TABLE attendee_search USING fts5(search_key,"
               " tokenize = 'trigram', content = 'attendees', content_rowid = 'id')")
    db.execute(f"CREATE VIRTUAL TABLE attendee_words USING fts5(search_key,"
               f" tokenize = '{_WORDS_TOKENIZER}', content = 'attendees',"
               f" content_rowid = 'id')")
    db.execute("CREATE VIRTUAL TABLE attendee_words_vocab USING fts5vocab(attendee_words, row)")
    # `bulk` is 1 only inside the transaction of a bulk insert (kiosk.store.bulk), which
    # indexes its rows in one statement at the end instead of one trigger per row.
    db.execute("CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
               " version INTEGER NOT NULL, bulk INTEGER NOT NULL DEFAULT 0)")
    db.execute("INSERT INTO search_state (id, version) VALUES (1, 0)")
    bump = "UPDATE search_state SET version = version + 1;"
    add = " ".join(f"INSERT INTO {t} (rowid, search_key) VALUES (NEW.id, NEW.search_key);"
                   for t in _SEARCH_TABLES) + " " + bump
    remove = " ".join(f"INSERT INTO {t} ({t}, rowid, search_key)"
                      f" VALUES ('delete', OLD.id, OLD.search_key);" for t in _SEARCH_TABLES
                      ) + " " + bump
    db.execute(f"CREATE TRIGGER attendees_search_insert AFTER INSERT ON attendees"
               f" WHEN {_NOT_BULK} BEGIN {add} END")
    db.execute(f"CREATE TRIGGER attendees_search_delete AFTER DELETE ON attendees"
               f" BEGIN {remove} END")
    db.execute(f"CREATE TRIGGER attendees_search_update AFTER UPDATE OF search_key"
               f" ON attendees BEGIN {remove} {add} END")
    for table in _SEARCH_TABLES:  # the attendees already there
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")


@migrations()
def log_changes_for_headcounts(db: Database) -> None:
    # What the in-memory headcounts (kiosk.headcounts.tallies) need to read again: for
    # each person, the sequence number of their latest change, to their registration or to
    # their presence (a scan, an undo, a wiped rehearsal: whatever the presence triggers
    # make of it). One row per person, replaced at each change; `epoch` tells a reader
    # that the file was made anew. Written by triggers, never by hand.
    db.execute("CREATE TABLE tally_state (id INTEGER PRIMARY KEY CHECK (id = 1),"
               " epoch TEXT NOT NULL)")
    db.execute("INSERT INTO tally_state (id, epoch) VALUES (1, lower(hex(randomblob(8))))")
    db.execute("CREATE TABLE tally_changes (attendee_id INTEGER PRIMARY KEY,"
               " seq INTEGER NOT NULL)")
    db.execute("CREATE INDEX tally_changes_seq ON tally_changes(seq)")
    for table, column in (("attendees", "id"), ("presence", "attendee_id")):
        for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
            when = f" WHEN {_NOT_BULK}" if (table, event) == ("attendees", "insert") else ""
            db.execute(
                f"CREATE TRIGGER {table}_tally_{event} AFTER {event.upper()} ON {table}{when}"
                f" BEGIN INSERT OR REPLACE INTO tally_changes (attendee_id, seq) VALUES"
                f" ({row}.{column}, (SELECT coalesce(max(seq), 0) + 1 FROM tally_changes));"
                f" END")
    db.execute("INSERT INTO tally_changes (attendee_id, seq)"
               " SELECT id, row_number() OVER (ORDER BY id) FROM attendees")


# Offline stations (README "Offline stations"): the movement log learns when a scan
# happened as well as when the server recorded it, whether it came late from a station's
# outbox, and scan_ids become a station's own (D10: one station's scan_id said nothing
# about another's scan). Presence follows the time a scan happened: a person's place is
# their latest live scan by `happened_at` (then id), their arrival the earliest.
_HAPPENED_PRESENCE_ROWS = f"""
    INSERT INTO presence (attendee_id, first_in, movement_id, location, direction)
    SELECT p.who, p.first_in, p.last_id, last.location, last.direction
    FROM (SELECT {{who}} AS who,
            (SELECT min(m.happened_at) FROM movements m WHERE m.attendee_id = {{who}}
                AND m.direction = 'in' AND {_LIVE}) AS first_in,
            (SELECT m.id FROM movements m WHERE m.attendee_id = {{who}} AND {_LIVE}
                ORDER BY m.happened_at DESC, m.id DESC LIMIT 1) AS last_id
          {{source}}) AS p
    LEFT JOIN movements last ON last.id = p.last_id
    WHERE EXISTS (SELECT 1 FROM movements WHERE attendee_id = p.who)"""


@migrations()
def scope_scan_ids_and_place_offline_scans(db: Database) -> None:
    # SQLite cannot drop a column's UNIQUE, so the table is rebuilt as allow_kiosk_role
    # rebuilt stations, keeping every row and id. The indexes and triggers on movements,
    # and triggers elsewhere that name it (other areas' as well as ours), are read first and
    # made again on the new table; presence's triggers are made anew to follow happened_at.
    # The new table's undoes references itself, so dropping the old one trips no foreign
    # key, and the rename turns that reference into movements(id).
    kept = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND ((tbl_name = 'movements' AND type IN ('index', 'trigger'))"
        "      OR (type = 'trigger' AND tbl_name != 'movements' AND sql LIKE '%movements%'))"
        " ORDER BY type, name").fetchall()
    for kind, name, _sql in kept:
        if kind == "trigger":
            db.execute(f'DROP TRIGGER "{name}"')
    db.execute("""
        CREATE TABLE movements_rebuilt (
            id INTEGER PRIMARY KEY,
            attendee_id INTEGER NOT NULL REFERENCES attendees(id),
            location TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            kind TEXT NOT NULL DEFAULT 'scan',     -- 'scan', 'undo', 'merge'
            scan_id TEXT,                          -- unique per station (index below)
            station_id INTEGER,
            client_time TEXT,
            recorded_at TEXT NOT NULL,             -- when the server recorded it
            undoes INTEGER REFERENCES movements_rebuilt(id),
            rehearsal INTEGER NOT NULL DEFAULT 0,
            happened_at TEXT,                      -- when it happened (movements.happened)
            offline INTEGER NOT NULL DEFAULT 0     -- 1: sent late from a station's outbox
        )""")
    columns = ("id, attendee_id, location, direction, kind, scan_id, station_id, client_time,"
               " recorded_at, undoes, rehearsal")
    db.execute(f"INSERT INTO movements_rebuilt ({columns}, happened_at, offline)"
               f" SELECT {columns}, recorded_at, 0 FROM movements ORDER BY id")
    db.execute("DROP TABLE movements")
    db.execute("ALTER TABLE movements_rebuilt RENAME TO movements")
    for _kind, name, sql in kept:
        if not name.startswith("movements_presence_"):
            db.execute(sql)
    # A writer that does not know the column (an older script, a test's raw insert): the
    # scan happened when it was recorded.
    db.execute("CREATE TRIGGER movements_happened_default AFTER INSERT ON movements"
               " WHEN NEW.happened_at IS NULL BEGIN UPDATE movements"
               " SET happened_at = NEW.recorded_at WHERE id = NEW.id; END")
    db.execute("CREATE UNIQUE INDEX movements_station_scan ON movements(ifnull(station_id, 0),"
               " scan_id) WHERE scan_id IS NOT NULL")
    for name, rows in (("insert", ["NEW"]), ("delete", ["OLD"]), ("update", ["OLD", "NEW"])):
        body = " ".join(
            f"DELETE FROM presence WHERE attendee_id = {row}.attendee_id;"
            f" {_HAPPENED_PRESENCE_ROWS.format(who=f'{row}.attendee_id', source='')};"
            for row in rows)
        db.execute(f"CREATE TRIGGER movements_presence_{name} AFTER {name.upper()} ON movements"
                   f" BEGIN {body} END")
    db.execute("DELETE FROM presence")
    db.execute(_HAPPENED_PRESENCE_ROWS.format(
        who="a.attendee_id", source="FROM (SELECT DISTINCT attendee_id FROM movements) AS a"))
    # Scans a station flagged for the organiser: sent late for a registration that was
    # cancelled meanwhile (recorded here, never counted as an arrival).
    db.execute("""
        CREATE TABLE scan_flags (
            id INTEGER PRIMARY KEY,
            reason TEXT NOT NULL CHECK (reason IN ('cancelled')),
            attendee_id INTEGER,
            station_id INTEGER,
            scan_id TEXT,
            location TEXT NOT NULL,
            client_time TEXT,
            recorded_at TEXT NOT NULL,
            rehearsal INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE UNIQUE INDEX scan_flags_scan ON scan_flags(ifnull(station_id, 0), scan_id)"
               " WHERE scan_id IS NOT NULL")
