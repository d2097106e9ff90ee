"""The post-event report, and the purge of personal data after the event.

`figures`: every number of the report, from the live screens' own services (or, after the
purge, from what it kept); `charts`: the charts (matplotlib, grey-scale, Dutch); `html`
and `pdf`: report.html (self-contained) and report.pdf; `exports`: attendance.csv/.xlsx and
movements.csv; `writing`: all of it into a folder; `purge`: keep the aggregates, remove the
people.

May import: `kiosk.headcounts`, `kiosk.registrations`, `kiosk.checkin`, `kiosk.store`,
`kiosk.event`, `kiosk.clock`, `kiosk.text`, matplotlib, fpdf2. Never Flask or click.
"""
