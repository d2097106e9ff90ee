"""Registrations: who is expected, in and out of the service.

Reading the organiser's CSV/XLSX (`reading`), the upsert that imports it (`importer`),
the attendance export (`export`), badge codes (`codes`), the name search (`search`), the
registration overview (`summary`) and the demo's fictional list (`demo`).

May import: `kiosk.store`, `kiosk.event`, `kiosk.clock`, `kiosk.text`. Never Flask,
click or Socket.IO, and nothing of the other domain packages: they build on this one.
"""
