"""The public address: where tablets reach the service, and so what a pairing QR code holds.

The address the organiser happens to browse with (http://127.0.0.1:5000) is useless to a
tablet. In order of precedence:

1. what the organiser saved on the stations page (the settings table);
2. `serve --public-url URL`, `KIOSK_PUBLIC_URL` or the config's PUBLIC_URL;
3. found by itself: the address the organiser's browser used, when that is a network
   address; else, when the service listens on the network (`serve --host 0.0.0.0`), this
   machine's LAN address with the scheme and port of the request; else the browser's own
   address, with a warning that the QR codes point at this computer only.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, request

from kiosk.store import now, transaction
from kiosk.store import settings as settings_store
from kiosk.web.context import get_db

KEY = "public_url"
WILDCARDS = ("0.0.0.0", "::", "")
# Private addresses a UDP socket is "connected" to: no packet is sent, but the kernel picks
# the interface (and so the source address) it would use to get there.
PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


class PublicUrlError(ValueError):
    """An address the organiser typed that no tablet could use (the words say why)."""


@dataclass(frozen=True)
class PublicUrl:
    url: str  # 'https://192.168.1.20:8443', no trailing slash
    source: str  # 'page', 'config', 'browser', 'lan', 'local'
    warnings: list[str] = field(default_factory=list)

    def pair_url(self, path: str) -> str:
        return self.url + path


SOURCES = {"page": "ingesteld op deze pagina", "config": "ingesteld bij het starten (--public-url)",
           "browser": "het adres waarmee je deze pagina opende",
           "lan": "automatisch gevonden: het netwerkadres van deze computer",
           "local": "automatisch: alleen deze computer"}


def normalise(text: str) -> str:
    """'https://kiosk.local:8443/' → 'https://kiosk.local:8443'; a clear error otherwise."""
    text = (text or "").strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise PublicUrlError("dit is geen geldig adres (bv. https://192.168.1.20:8443)") \
            from None
    if parts.scheme not in ("http", "https"):
        raise PublicUrlError("het adres begint met http:// of https://")
    if not parts.hostname or len(text) > 200:
        raise PublicUrlError("vul een adres in, bv. https://192.168.1.20:8443")
    if parts.username or parts.password or parts.query or parts.fragment or \
            parts.path not in ("", "/"):
        raise PublicUrlError("alleen het adres van de server, zonder pad erachter "
                             "(bv. https://192.168.1.20:8443)")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}{f':{port}' if port else ''}"


def is_local(host: str | None) -> bool:
    """localhost, 127.x, ::1, 0.0.0.0: this computer, unreachable from a tablet."""
    host = (host or "").strip("[]").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def loopback_only(listening: str | None) -> bool:
    """The service listens on this computer's loopback only (serve's default)."""
    return listening is not None and listening not in WILDCARDS and is_local(listening)


def lan_address() -> str | None:
    """This machine's LAN address (IPv4), or None when it has none."""
    for probe in PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe_socket:
                probe_socket.connect((probe, 9))
                address = probe_socket.getsockname()[0]
        except OSError:
            continue
        if not is_local(address):
            return address
    try:  # no route to a private network: what the host name resolves to, if anything
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return None
    return None if is_local(address) else address


def stored() -> str | None:
    return settings_store.get(get_db(), KEY)


def save(text: str) -> str | None:
    """Keep what the organiser typed (normalised); an empty field goes back to automatic."""
    url = normalise(text) if (text or "").strip() else None
    with transaction(get_db()) as db:
        if url is None:
            settings_store.delete(db, KEY)
        else:
            settings_store.put(db, KEY, url, now())
    return url


def current() -> PublicUrl:
    """The address pairing QR codes hold now, for the request being served."""
    saved = stored()
    configured, unusable = _configured()
    if saved:
        found = PublicUrl(saved, "page")
    elif configured:
        found = PublicUrl(configured, "config")
    else:
        found = _automatic()
    notes = [unusable] if unusable and not saved else []
    return PublicUrl(found.url, found.source, notes + warnings(found.url))


def _configured() -> tuple[str | None, str | None]:
    """PUBLIC_URL from the config, or why it cannot be used (a typo in KIOSK_PUBLIC_URL
    must not take the stations page down)."""
    value = current_app.config.get("PUBLIC_URL")
    if not value:
        return None, None
    try:
        return normalise(value), None
    except PublicUrlError as exc:
        return None, f"Let op: het adres {value!r} dat bij het starten werd opgegeven, is " \
                     f"onbruikbaar: {exc}."


def _automatic() -> PublicUrl:
    own = request.host_url.rstrip("/")
    parts = urlsplit(own)
    if not is_local(parts.hostname):
        return PublicUrl(own, "browser")
    listening = current_app.config.get("LISTEN_HOST")
    address = None
    if listening in WILDCARDS:
        address = lan_address()
    elif listening is not None and not is_local(listening):
        address = listening  # serve --host 192.168.1.20
    if address is None:
        return PublicUrl(own, "local")
    host = f"[{address}]" if ":" in address else address
    return PublicUrl(f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}", "lan")


def warnings(url: str) -> list[str]:
    """What the organiser must know before a tablet scans the QR code."""
    result = []
    host = urlsplit(url).hostname
    listening = current_app.config.get("LISTEN_HOST")
    if is_local(host):
        result.append(f"Let op: de koppel-QR-code wijst naar {host}, dat is deze computer "
                      "zelf. Een tablet kan dat adres niet openen. Vul hieronder het adres in "
                      "waarop de tablets de server bereiken, bv. https://192.168.1.20:8443.")
    elif loopback_only(listening):
        result.append(f"Let op: de server luistert alleen op {listening}, dus geen enkele "
                      "tablet bereikt hem. Start de server opnieuw met "
                      "'serve --host 0.0.0.0'.")
    return result


def startup_lines(host: str, port: int, scheme: str) -> list[str]:
    """What `serve` says at start-up about the QR codes' address (in an app context)."""
    saved = stored()
    configured, unusable = _configured()
    lines = [unusable] if unusable else []
    if saved or configured:
        url = saved or configured
        lines.append(f"Koppelcodes wijzen naar {url}"
                     f" ({'ingesteld op de postenpagina' if saved else '--public-url'})")
        if saved and configured and configured != saved:
            lines.append(f"  --public-url {configured} wordt niet gebruikt: maak het veld op "
                         "de postenpagina leeg om het te gebruiken.")
    else:
        address = host if host not in WILDCARDS else (lan_address() or "127.0.0.1")
        shown = f"[{address}]" if ":" in address else address
        url = f"{scheme}://{shown}:{port}"
        lines.append(f"Koppelcodes wijzen naar {url} (automatisch; kies een ander adres met "
                     "--public-url of op de postenpagina)")
    if is_local(urlsplit(url).hostname):
        lines.append(f"LET OP: koppel-QR-codes wijzen naar {urlsplit(url).hostname}: geen "
                     "tablet kan dat openen. Start met --host 0.0.0.0, of geef het adres "
                     "van deze computer op het netwerk met --public-url URL.")
    elif loopback_only(host):
        lines.append(f"LET OP: de server luistert alleen op {host}: tablets bereiken hem "
                     "niet. Start met --host 0.0.0.0.")
    return lines
