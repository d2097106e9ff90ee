"""Headcounts: who is where, derived from the movement log, and what to expect.

`snapshots`: the whole picture of the day (on site, rooms, catering with diets, besturen,
the coverage matrix, arrivals, stations) and each role's cut of it; `forecast`: the final
lunch and tapas headcount from the arrival curve so far. What the kitchen, the room hosts
and the organiser see is computed here; how it looks is in templates/ and static/js/.

May import: `kiosk.store`, `kiosk.event`, `kiosk.clock`. `forecast` takes plain arrival
data and imports nothing of `snapshots`. Never Flask or Socket.IO.
"""
