"""Serving: the process the web service runs in.

`green`: gevent for the serving commands (patched before anything else is imported) and
`offload` for blocking work; `server`: gunicorn driven from Python, one worker or several,
with the limits on idle connections; `tls`: the self-signed certificate for the venue network.

May import: `kiosk.clock`, gunicorn, gevent, cryptography. Not Flask (the app arrives as
an argument), not the domain.
"""
