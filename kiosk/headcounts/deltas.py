"""What changed between two snapshots, as a patch a screen applies to the one it holds.

After a scan most of a snapshot is as it was: one location's count, a room, a meal, a
bestuur's row, the last arrival bucket. A patch carries only those parts:

- `{"$": value}`: the value, whole (a new key, a list that grew or shrank, a number);
- `{"$d": {key: patch, ...}}`: a dict whose listed keys changed (the same keys as before);
- `{"$l": {"index": patch, ...}}`: a list of the same length whose listed items changed.

`None` means nothing changed. static/js/live.js applies patches the same way
(`applyPatch`); the tests hold the two to each other through a real Socket.IO client.
"""

from __future__ import annotations

from typing import Any


def diff(old: Any, new: Any) -> dict | None:
    """The patch that turns `old` into `new`, or None when they are equal."""
    if old == new:
        return None
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return {"$d": {k: p for k in new if (p := diff(old[k], new[k])) is not None}}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return {"$l": {str(i): p for i, (a, b) in enumerate(zip(old, new, strict=True))
                       if (p := diff(a, b)) is not None}}
    return {"$": new}


def apply(old: Any, patch: dict | None) -> Any:
    """`new` from `old` and `diff(old, new)`; `old` is left as it was."""
    if patch is None:
        return old
    if "$" in patch:
        return patch["$"]
    if "$d" in patch:
        result = dict(old)
        for key, part in patch["$d"].items():
            result[key] = apply(old[key], part)
        return result
    result = list(old)
    for index, part in patch["$l"].items():
        result[int(index)] = apply(old[int(index)], part)
    return result
