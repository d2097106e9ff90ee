"""The event file: one TOML file describes the whole day, loaded once into plain dataclasses.

Every layer may read the model; nothing writes it. Validation errors name the TOML key
(`themes[3].rooms.voormiddag`) and what is wrong, so an organiser can fix the file alone.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.text import fold

DEFAULT_EVENT = Path(__file__).parent / "events" / "strategio-2023.toml"

PROGRAM_KINDS = ("reception", "plenary", "sessions", "meal", "networking")
CATERING_MINUTES = 90  # how long a catering moment lasts when the program does not say
LOCATION_KINDS = ("reception", "plenary", "session", "meal", "networking", "exit")


class EventFileError(ValueError):
    """The event file is missing, not TOML, or does not describe a day we can run."""


@dataclass(frozen=True)
class Slot:
    start: dt.time
    end: dt.time
    title: str
    kind: str
    location: str | None = None
    block: str | None = None
    catering: str | None = None


@dataclass(frozen=True)
class Block:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    rooms: dict[str, str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    kind: str
    capacity: int | None = None


@dataclass(frozen=True)
class Catering:
    id: str
    name: str
    start: dt.time
    location: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diet:
    id: str
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bestuur:
    name: str
    aliases: tuple[str, ...] = ()
    member: bool = True


@dataclass(frozen=True)
class Event:
    name: str
    title: str
    organiser: str
    date: dt.date
    venue: str
    timezone: str
    colours: dict[str, str]
    program: tuple[Slot, ...]
    blocks: tuple[Block, ...]
    themes: tuple[Theme, ...]
    locations: tuple[Location, ...]
    catering: tuple[Catering, ...]
    diets: tuple[Diet, ...]
    besturen: tuple[Bestuur, ...]
    source: str = ""
    _index: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update(
            block={b.id: b for b in self.blocks},
            theme={t.id: t for t in self.themes},
            location={loc.id: loc for loc in self.locations},
            catering={c.id: c for c in self.catering},
            diet={d.id: d for d in self.diets},
            theme_name=_alias_index((t.id, t.name, t.aliases) for t in self.themes),
            bestuur_name=_alias_index((b.name, b.name, b.aliases) for b in self.besturen),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def block(self, block_id: str) -> Block:
        return self._index["block"][block_id]

    def theme(self, theme_id: str) -> Theme:
        return self._index["theme"][theme_id]

    def location(self, location_id: str) -> Location:
        return self._index["location"][location_id]

    def has_location(self, location_id: str) -> bool:
        return location_id in self._index["location"]

    def diet(self, diet_id: str) -> Diet:
        return self._index["diet"][diet_id]

    def match_theme(self, text: str) -> str | None:
        """The theme id that `text` names (its name or an alias, any case or accents)."""
        return self._index["theme_name"].get(fold(text))

    def match_bestuur(self, text: str) -> str | None:
        """The canonical bestuur name that `text` names, or None."""
        return self._index["bestuur_name"].get(fold(text))

    def room_for(self, theme_id: str, block_id: str) -> Location | None:
        """The room where a theme meets during a block."""
        room = self.theme(theme_id).rooms.get(block_id)
        return self.location(room) if room else None

    def locations_of_kind(self, *kinds: str) -> list[Location]:
        return [loc for loc in self.locations if loc.kind in kinds]

    def slot_at(self, moment: dt.time) -> Slot | None:
        """The program slot running at a local time of day (None before and after)."""
        for slot in self.program:
            if slot.start <= moment < slot.end:
                return slot
        return None

    def catering_end(self, catering_id: str) -> dt.time:
        """When a catering moment is over: the end of its program slot, else
        CATERING_MINUTES after its start."""
        slot = next((s for s in self.program if s.catering == catering_id), None)
        if slot is not None:
            return slot.end
        start = dt.datetime.combine(self.date, self._index["catering"][catering_id].start)
        return (start + dt.timedelta(minutes=CATERING_MINUTES)).time()

    def current_block(self, moment: dt.time) -> str | None:
        """The work-session block to direct people to at a time: the running one, else the
        next one that day (at 09:05 reception sends people to their morning room)."""
        upcoming = [s for s in self.program if s.kind == "sessions" and s.end > moment]
        return upcoming[0].block if upcoming else None


def load_event(path: str | Path | None = None) -> Event:
    """Read and validate an event file; the bundled STRATEGIO 2023 when path is None."""
    path = Path(path) if path else DEFAULT_EVENT
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EventFileError(f"{path}: event file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EventFileError(f"{path}: not a valid TOML file: {exc}") from exc
    try:
        return _build(raw, str(path))
    except EventFileError as exc:
        raise EventFileError(f"{path}: {exc}") from None


# --- building and validating -------------------------------------------------------------


class _Reader:
    """Reads one TOML table, reporting errors with the full key path."""

    def __init__(self, table: Any, where: str):
        if not isinstance(table, dict):
            raise EventFileError(f"{where}: expected a table, got {type(table).__name__}")
        self.table, self.where = table, where

    def _fail(self, key: str, what: str) -> EventFileError:
        return EventFileError(f"{self.where}.{key}: {what}" if self.where else f"{key}: {what}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                raise self._fail(key, "is required")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self._fail(key, f"expected {names}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self._fail(key, "must not be empty")
        return value

    def time(self, key: str) -> dt.time:
        value = self.get(key, (str, dt.time))
        if isinstance(value, dt.time):
            return value
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise self._fail(key, f"expected a time like \"09:30\", got {value!r}") from None

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise self._fail(key, "expected a list of strings")
        return tuple(values)

    def choice(self, key: str, allowed: tuple[str, ...] | set[str], default: Any = ...) -> Any:
        value = self.get(key, str, default)
        if value is not None and value is not default and value not in allowed:
            raise self._fail(key, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value


def _items(raw: dict, key: str) -> list[_Reader]:
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        raise EventFileError(f"{key}: at least one [[{key}]] entry is required")
    return [_Reader(item, f"{key}[{i}]") for i, item in enumerate(items)]


def _unique(things: list, key: str, attr: str = "id") -> None:
    seen: set[str] = set()
    for i, thing in enumerate(things):
        value = getattr(thing, attr)
        if value in seen:
            raise EventFileError(f"{key}[{i}].{attr}: {value!r} is used twice")
        seen.add(value)


def _build(raw: dict, source: str) -> Event:
    head = _Reader(raw.get("event"), "event")
    locations = [
        Location(r.get("id", str), r.get("name", str), r.choice("kind", LOCATION_KINDS),
                 r.get("capacity", int, None))
        for r in _items(raw, "locations")
    ]
    _unique(locations, "locations")
    location_ids = {loc.id for loc in locations}
    blocks = [Block(r.get("id", str), r.get("name", str), r.strings("aliases"))
              for r in _items(raw, "blocks")]
    _unique(blocks, "blocks")
    block_ids = {b.id for b in blocks}
    themes = [_theme(r, block_ids, location_ids) for r in _items(raw, "themes")]
    _unique(themes, "themes")
    catering = [
        Catering(r.get("id", str), r.get("name", str), r.time("start"),
                 r.choice("location", location_ids), r.strings("aliases"))
        for r in _items(raw, "catering")
    ]
    _unique(catering, "catering")
    program = [_slot(r, block_ids, location_ids, {c.id for c in catering})
               for r in _items(raw, "program")]
    diets = [Diet(r.get("id", str), r.get("name", str), r.strings("keywords"))
             for r in _items(raw, "diets")]
    _unique(diets, "diets")
    besturen = [Bestuur(r.get("name", str), r.strings("aliases"), r.get("member", bool, True))
                for r in _items(raw, "besturen")]
    _unique(besturen, "besturen", "name")
    return Event(
        name=head.get("name", str), title=head.get("title", str, head.get("name", str)),
        organiser=head.get("organiser", str, ""), date=_date(head),
        venue=head.get("venue", str, ""), timezone=_timezone(head),
        colours=dict(head.get("colours", dict, {})), program=tuple(program),
        blocks=tuple(blocks), themes=tuple(themes), locations=tuple(locations),
        catering=tuple(catering), diets=tuple(diets), besturen=tuple(besturen), source=source,
    )


def _theme(r: _Reader, block_ids: set[str], location_ids: set[str]) -> Theme:
    rooms = r.get("rooms", dict)
    for block_id, room in rooms.items():
        if block_id not in block_ids:
            raise EventFileError(f"{r.where}.rooms.{block_id}: no block with that id")
        if room not in location_ids:
            raise EventFileError(f"{r.where}.rooms.{block_id}: no location {room!r}")
    return Theme(r.get("id", str), r.get("name", str), dict(rooms), r.strings("aliases"))


def _slot(r: _Reader, block_ids: set, location_ids: set, catering_ids: set) -> Slot:
    slot = Slot(
        start=r.time("start"), end=r.time("end"), title=r.get("title", str),
        kind=r.choice("kind", PROGRAM_KINDS), location=r.choice("location", location_ids, None),
        block=r.choice("block", block_ids, None), catering=r.choice("catering", catering_ids, None),
    )
    if slot.end <= slot.start:
        raise EventFileError(f"{r.where}.end: must be later than start")
    if slot.kind == "sessions" and not slot.block:
        raise EventFileError(f"{r.where}.block: a sessions slot must name its block")
    return slot


def _date(head: _Reader) -> dt.date:
    value = head.get("date", (dt.date, str))
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise EventFileError(f"event.date: expected a date like 2023-05-23, got {value!r}") \
                from None
    return value


def _timezone(head: _Reader) -> str:
    name = head.get("timezone", str, "Europe/Brussels")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventFileError(f"event.timezone: unknown time zone {name!r}") from None
    return name


def _alias_index(entries) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, name, aliases in entries:
        for text in (key, name, *aliases):
            index.setdefault(fold(text), key)
    return index
