"""Check-in: a badge seen at a place becomes one movement, and who may scan.

The scan service (`scans`: results, idempotent scan_ids, undo, the reception counter),
walk-ins registered and checked in at the desk (`walkin`), and stations, roles and their
tokens (`auth`).

May import: `kiosk.registrations` (codes, the walk-in's validation), `kiosk.store`,
`kiosk.event`, `kiosk.clock`, `kiosk.text`. Never Flask, click or Socket.IO: the web face
tells the live layer after a commit.
"""
