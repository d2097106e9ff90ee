"""Rehearsals: a realistic day planned ahead, played through the real API, and wiped.

`plan`: who comes and when, where they go, what goes wrong at the desk (from the list, the
event file and a seed; also played in-process by the forecast's tests); `simulator`: the
day played against a running server by stations of its own (`client`: talking to it,
`players`: one thread per station); `wipe`: removing what a rehearsal left.

May import: `kiosk.checkin`, `kiosk.registrations`, `kiosk.store`, `kiosk.event`,
`kiosk.clock`, and `requests` (the simulator is an HTTP client). Never Flask or
Socket.IO.
"""
