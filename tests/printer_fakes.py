"""Printers that are not there: small stand-ins that speak each printer's protocol.

- `FakeJetDirect`: a network printer's raw port (9100) on 127.0.0.1 that keeps what it
  receives; as a Zebra it answers `~HS` with a host status (paper out, head up... as set).
- `FakeQLOverUSB`: a Brother QL behind Linux' USB printer driver, played on a pseudo
  terminal: it reads the raster instructions and answers with the QL's 32-byte status
  ("printing completed", "waiting to receive", or an error such as "no media").

They live in the test's process and stop with the test (context managers).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import tty


class FakeJetDirect:
    """A raw TCP printer port on 127.0.0.1; `.received` is everything sent to it."""

    def __init__(self, zebra_status: dict | None = None):
        self.zebra = zebra_status  # None: answers nothing (a Brother QL on the network)
        self.received = b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.server.getsockname()[1]}"

    def __enter__(self) -> FakeJetDirect:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.server.close()

    # Stopping waits for a quiet moment: a sender that has closed its socket may still have
    # bytes (or a whole connection) waiting here, and the test reads `received` after exit.
    def _serve(self) -> None:
        while True:
            try:
                link, _ = self.server.accept()
            except TimeoutError:
                if self.stopping.is_set():
                    return
                continue
            with link:
                link.settimeout(0.2)
                self._talk(link)

    def _talk(self, link: socket.socket) -> None:
        while True:
            try:
                chunk = link.recv(65536)
            except TimeoutError:
                if self.stopping.is_set():
                    return
                continue
            if not chunk:
                return
            self.received += chunk
            if self.zebra is not None and self.received.endswith(b"~HS"):
                link.sendall(self.host_status())

    def host_status(self) -> bytes:
        """Zebra's three ~HS lines: <STX>…<ETX><CR><LF>, flags at their documented places."""
        s = {"paper_out": 0, "paused": 0, "formats": 0, "head_up": 0, "ribbon_out": 0,
             "remaining": 0, **self.zebra}
        one = f"030,{s['paper_out']},{s['paused']},0799,{s['formats']:03d},0,0,0,000,0,0,0"
        two = f"001,0,{s['head_up']},{s['ribbon_out']},0,2,6,0,{s['remaining']:08d},1,000"
        return b"".join(b"\x02" + line.encode() + b"\x03\r\n" for line in (one, two, "1234,0"))


def ql_status(status: int, phase: int = 0, error1: int = 0, error2: int = 0) -> bytes:
    """A QL-820NWB's 32-byte status (Brother's raster command reference, "status
    information"): 62 mm die-cut labels loaded."""
    data = bytearray(32)
    data[0:8] = bytes([0x80, 0x20, 0x42, 0x34, 0x41, 0x30, 0x30, 0x00])
    data[8], data[9], data[10], data[11], data[17] = error1, error2, 62, 0x0B, 29
    data[18], data[19] = status, phase
    return bytes(data)


PRINTED = ql_status(0x01) + ql_status(0x06, phase=0x00)  # completed, then waiting again
NO_MEDIA = ql_status(0x02, error1=0x01)


class FakeQLOverUSB:
    """A QL on `file:///dev/pts/N`: once `expect` bytes have arrived, it answers `reply`."""

    def __init__(self, expect: int, reply: bytes = PRINTED):
        self.expect, self.reply = expect, reply
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # binary: no echo, no newline translation
        self.received = b""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        return f"file://{os.ttyname(self.slave)}"

    def __enter__(self) -> FakeQLOverUSB:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(5)
        os.close(self.master)
        os.close(self.slave)

    def _serve(self) -> None:
        answered = False
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                self.received += os.read(self.master, 65536)
            if not answered and len(self.received) >= self.expect:
                os.write(self.master, self.reply)
                answered = True
