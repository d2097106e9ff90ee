"""The house's layers, checked from the source: who may import whom.

The web face (kiosk/web) and the commands (kiosk/commands) know Flask, click and Socket.IO;
the domain packages below them know none of them, nor the face; the store knows only
SQLite and the plain helpers; and no two modules import each other in a circle. Each
package's __init__ docstring says the same in words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"
FRAMEWORKS = ("flask", "flask_socketio", "werkzeug", "click", "jinja2")
SOCKETS = ("socketio", "flask_socketio", "engineio", "simple_websocket")
FACE = ("web", "commands")
# What each part of kiosk may import of kiosk (besides itself). The face may import all.
ALLOWED = {
    "clock": set(),
    "text": set(),
    "event": {"text"},
    "store": {"clock", "text"},
    "registrations": {"store", "event", "clock", "text"},
    "checkin": {"registrations", "store", "event", "clock", "text"},
    "headcounts": {"store", "event", "clock"},
    "printing": {"registrations", "event", "text"},
    "rehearsal": {"checkin", "registrations", "store", "event", "clock", "text"},
    "spooler": {"printing", "registrations", "store", "event", "clock", "text"},
    "report": {"headcounts", "registrations", "checkin", "store", "event", "clock", "text"},
    "jobs": {"printing", "registrations", "report", "store", "event", "clock", "text"},
    "serving": {"clock"},
}


def modules() -> dict[str, Path]:
    """'kiosk.checkin.scans' -> its file, for every module of the package."""
    found = {}
    for path in sorted(KIOSK.rglob("*.py")):
        parts = path.relative_to(KIOSK.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, *, top_level_only: bool = False) -> list[tuple[str, int]]:
    """(module imported, line) for each import in a file; `from a import b` counts as
    'a.b' too, so a submodule imported that way is seen. Imports under TYPE_CHECKING do
    not run and are left out; with `top_level_only`, so is any import inside a function
    (a deliberate late import, such as the app factory's)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import) and not (top_level_only and in_function):
                found.extend((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0 \
                    and not (top_level_only and in_function):
                found.append((child.module, child.lineno))
                found.extend((f"{child.module}.{alias.name}", child.lineno)
                             for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def part_of(module: str) -> str:
    """'kiosk.checkin.scans' -> 'checkin'; 'kiosk.clock' -> 'clock'; 'kiosk' -> ''."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


MODULES = modules()


def test_the_package_regrouping_left_no_flat_module_behind():
    """kiosk/ holds packages and the shared vocabulary (event, clock, text), nothing else."""
    flat = {p.stem for p in KIOSK.glob("*.py")} - {"__init__", "__main__", "event", "clock",
                                                     "text"}
    assert flat == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_face_knows_flask_click_and_socketio(name):
    """Flask, werkzeug, Jinja and click live in kiosk/web and kiosk/commands; the domain,
    the store and the serving plumbing can be used without them."""
    if part_of(name) in FACE:
        return
    used = [f"{module} (line {line})" for module, line in imports(MODULES[name])
            if module.split(".")[0] in FRAMEWORKS + SOCKETS]
    assert used == [], f"{name} imports {used}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_part_imports_only_what_lies_below_it(name):
    """The store imports only the store and the plain helpers; a domain package only the
    packages below it (ALLOWED); nothing outside the face imports the face."""
    part = part_of(name)
    if part in FACE or part not in ALLOWED:
        return
    allowed = ALLOWED[part] | {part}
    wrong = sorted({f"{module} (line {line})" for module, line in imports(MODULES[name])
                    if module.startswith("kiosk.") and module in MODULES
                    and part_of(module) not in allowed})
    assert wrong == [], f"{name} ({part}) may import only {sorted(allowed)}: {wrong}"


def test_no_two_modules_import_each_other_in_a_circle():
    """Module-level imports form no circle (the two there were, badge <-> sheets and
    headcounts <-> forecast, are gone)."""
    graph = {name: {m for m, _ in imports(path, top_level_only=True)
                    if m in MODULES and m != name and not name.startswith(m + ".")}
             for name, path in MODULES.items()}
    circles = []

    def walk(node: str, trail: list[str], done: set[str]) -> None:
        for target in sorted(graph[node]):
            if target in trail:
                circles.append(trail[trail.index(target):] + [target])
            elif target not in done:
                walk(target, trail + [target], done)
        done.add(node)

    finished: set[str] = set()
    for start in sorted(graph):
        if start not in finished:
            walk(start, [start], finished)
    assert circles == []


def test_the_checker_sees_what_it_should():
    """The rules above are only worth something if `imports` finds imports in every form."""
    sample = KIOSK.parent / "tests" / "data" / "layers_sample.py"
    found = {module for module, _ in imports(sample)}
    assert {"flask", "kiosk.web.live", "kiosk.store", "kiosk.store.movements",
            "socketio"} <= found
    assert "kiosk.web.app" not in found  # under TYPE_CHECKING
    top = {module for module, _ in imports(sample, top_level_only=True)}
    assert "socketio" not in top  # inside a function
