"""A CUPS scheduler of the test's own, with a PDF printer (cups-pdf) that writes into a
folder: started by the test, stopped after it, leaving the machine's CUPS alone.

It needs Debian's `cups`, `cups-ipp-utils` and `printer-driver-cups-pdf` (.ci/run installs
them) and root, as cupsd does. cups-pdf reads its settings for a queue from
/etc/cups/cups-pdf-QUEUE.conf (its configuration folder is built in): that one file is
written for the test's own queue name and removed afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = "/usr/lib/cups/backend/cups-pdf"
CUPS_PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"

CUPSD_CONF = """Listen {socket}
LogLevel warn
WebInterface No
Browsing No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""
FILES_CONF = """ServerRoot {root}
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
User lp
Group lp
SystemGroup root lpadmin
"""


def missing() -> str | None:
    """What is missing to run a private CUPS here (None: nothing)."""
    for path in (CUPSD, CUPS_PDF_BACKEND, CUPS_PDF_PPD):
        if not Path(path).exists():
            return f"{path} not found: apt-get install cups cups-ipp-utils printer-driver-cups-pdf"
    for tool in ("lp", "lpadmin", "ipptool", "cancel", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"{tool} not found: apt-get install cups-client cups-ipp-utils poppler-utils"
    if os.geteuid() != 0:
        return "cupsd needs root"
    return None


@dataclass
class CupsServer:
    root: Path
    process: subprocess.Popen
    queue: str

    @property
    def socket(self) -> str:
        return str(self.root / "cups.sock")

    @property
    def out(self) -> Path:
        return self.root / "out"

    def run(self, *args: str) -> str:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30,
                              env=dict(os.environ, CUPS_SERVER=self.socket))
        assert done.returncode == 0, done.stderr
        return done.stdout

    def pdfs(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        Path(f"/etc/cups/cups-pdf-{self.queue}.conf").unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> CupsServer:
    """cupsd on a socket in a fresh folder, with the PDF printer `kiosk-pdf-XXXX`."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-", dir="/tmp"))
    root.chmod(0o755)  # cupsd's filters run as `lp`: they must reach the spool
    for name in ("spool", "cache", "state", "tmp", "log", "out", "ppd"):
        (root / name).mkdir()
        (root / name).chmod(0o777)
    socket = root / "cups.sock"
    (root / "cupsd.conf").write_text(CUPSD_CONF.format(socket=socket))
    (root / "cups-files.conf").write_text(FILES_CONF.format(root=root))
    queue = f"kiosk-pdf-{secrets.token_hex(3)}"
    Path(f"/etc/cups/cups-pdf-{queue}.conf").write_text(
        f"Out {root}/out\nAnonDirName {root}/out\nLabel 0\n")
    process = subprocess.Popen([CUPSD, "-f", "-c", str(root / "cupsd.conf"),
                                "-s", str(root / "cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = CupsServer(root, process, queue)
    try:
        _wait_running(server)
        server.run("lpadmin", "-p", queue, "-E", "-v", f"cups-pdf:/{queue}", "-P", CUPS_PDF_PPD)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_running(server: CupsServer, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"cupsd stopped: {(server.root / 'log/error_log').read_text()}")
        done = subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                              env=dict(os.environ, CUPS_SERVER=server.socket))
        if "is running" in done.stdout and "not" not in done.stdout:
            return
        time.sleep(0.2)
    raise RuntimeError("cupsd did not start")
