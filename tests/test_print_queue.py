"""The print queue: one printer's jobs go out one at a time, oldest first, each confirmed
before the next; a failure keeps the job (failed, with the printer's words) and holds the
printer until somebody retries or cancels; nothing is ever lost. Then the API around it:
who may see and change the queue, print on arrival, walk-ins, a lost badge reprinted."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.checkin import auth
from kiosk.printing import printers
from kiosk.spooler import queue
from kiosk.spooler.queue import QueueError
from kiosk.spooler.worker import INTERRUPTED, Spooler, SpoolerBusy
from kiosk.store import attendees as attendee_store
from kiosk.store import printing as printing_store
from kiosk.store import stations as station_store
from kiosk.store import transaction


class Printer:
    """A stand-in printer: records every badge it is sent, fails those it is told to,
    and checks that it never gets a second badge before it confirmed the first."""

    def __init__(self, fail: dict[str, str] | None = None, seconds: float = 0.02):
        self.fail, self.seconds = dict(fail or {}), seconds
        self.printed: list[str] = []
        self.busy = threading.Lock()
        self.overlapped = False

    def __call__(self, kind, settings, face, event, title="badge"):
        if not self.busy.acquire(blocking=False):
            self.overlapped = True
            self.busy.acquire()
        try:
            time.sleep(self.seconds)
            if face.first_name in self.fail:
                raise printers.PrintFailed(self.fail.pop(face.first_name))
            self.printed.append(face.first_name)
            return printers.Sent("job-1", "test")
        finally:
            self.busy.release()


@pytest.fixture
def label_printer(loaded):
    return queue.add_printer(loaded, "Labels", "brother_ql",
                             {"address": "tcp://192.0.2.10", "label": "62x29"})


@pytest.fixture
def people(loaded):
    return attendee_store.all_attendees(loaded)[:4]


def spool(db_path, event, printer: Printer) -> Spooler:
    spooler = Spooler(db_path, event, print_badge=printer)
    spooler.claim()
    return spooler


def states(db, printer_id):
    return [(j.first_name, j.state) for j in sorted(printing_store.jobs(db, printer_id),
                                                    key=lambda j: j.id)]


def test_jobs_go_out_in_order_one_at_a_time_and_are_marked_printed(loaded, db_path, event,
                                                                   label_printer, people):
    """Four badges: printed in the order they were queued, never two at once, each job
    done with the version printed, and each attendee's badge marked as printed."""
    for person in people:
        queue.enqueue(loaded, label_printer.id, person.id, "arrival")
    printer = Printer()
    spooler = spool(db_path, event, printer)
    threads = [threading.Thread(target=spooler.drain, args=(label_printer.id,))
               for _ in range(3)]  # three eager senders: the queue still sends one by one
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    spooler.release()
    assert printer.printed == [p.first_name for p in people]
    assert not printer.overlapped
    assert {s for _, s in states(loaded, label_printer.id)} == {"done"}
    assert all(attendee_store.get(loaded, p.id).printed_version == 1 for p in people)


def test_a_failure_keeps_the_job_holds_the_printer_and_retry_goes_on_in_order(
        loaded, db_path, event, label_printer, people):
    """The second badge fails ("geen labels geladen"): it stays, failed, with those words;
    the two behind it wait (not failed, not skipped). Retry: it prints, then the others,
    in their order."""
    for person in people:
        queue.enqueue(loaded, label_printer.id, person.id)
    second = people[1].first_name
    printer = Printer(fail={second: "de printer meldt: geen labels geladen"})
    spooler = spool(db_path, event, printer)
    assert spooler.drain(label_printer.id) == 2  # the first printed, the second failed
    assert states(loaded, label_printer.id) == [
        (people[0].first_name, "done"), (second, "failed"),
        (people[2].first_name, "queued"), (people[3].first_name, "queued")]
    failed = [j for j in printing_store.jobs(loaded, label_printer.id) if j.state == "failed"]
    assert failed[0].error == "de printer meldt: geen labels geladen"
    assert queue.overview(loaded)[0].halted
    assert spooler.drain(label_printer.id) == 0  # held: nothing goes while it waits
    queue.retry(loaded, failed[0].id)
    assert spooler.drain(label_printer.id) == 3
    spooler.release()
    assert printer.printed == [p.first_name for p in people]
    assert printing_store.get_job(loaded, failed[0].id).attempts == 2


def test_cancel_lets_the_printer_go_on_and_the_job_stays_listed(loaded, db_path, event,
                                                                label_printer, people):
    """A failed job cancelled (the badge was written by hand): the printer goes on; the
    job is still there, cancelled. Only failed jobs can be retried."""
    a, b = (queue.enqueue(loaded, label_printer.id, p.id) for p in people[:2])
    spooler = spool(db_path, event, Printer(fail={people[0].first_name: "vastgelopen"}))
    spooler.drain(label_printer.id)
    with pytest.raises(QueueError):
        queue.retry(loaded, b.id)  # waiting, not failed
    queue.cancel(loaded, a.id)
    spooler.drain(label_printer.id)
    spooler.release()
    assert [s for _, s in states(loaded, label_printer.id)] == ["cancelled", "done"]


def test_a_job_interrupted_by_a_stop_is_failed_never_sent_twice(loaded, db_path, event,
                                                                label_printer, people):
    """A spooler that stopped mid-print left a job 'printing'. The next one cannot know
    whether the label came out: the job is failed with that explanation, not resent."""
    job = queue.enqueue(loaded, label_printer.id, people[0].id)
    with transaction(loaded):
        printing_store.start_job(loaded, job.id, "2023-05-23T07:00:00.000+00:00")
    printer = Printer()
    spooler = spool(db_path, event, printer)
    spooler.drain(label_printer.id)
    spooler.release()
    again = printing_store.get_job(loaded, job.id)
    assert (again.state, again.error) == ("failed", INTERRUPTED) and printer.printed == []


def test_one_spooler_per_database(db_path, loaded, event):
    """A second spooler on the same database refuses to start (two would double print)."""
    first = spool(db_path, event, Printer())
    with pytest.raises(SpoolerBusy):
        Spooler(db_path, event).claim()
    first.release()
    second = Spooler(db_path, event)
    second.claim()  # free again once the first let go
    second.release()


def test_the_running_spooler_picks_up_new_jobs(loaded, db_path, event, label_printer, people):
    """run(): new jobs are found by themselves (polling), and stop() ends it."""
    printer = Printer()
    spooler = Spooler(db_path, event, print_badge=printer)
    runner = threading.Thread(target=spooler.run, kwargs={"poll_s": 0.05})
    runner.start()
    try:
        queue.enqueue(loaded, label_printer.id, people[0].id)
        deadline = time.monotonic() + 20
        while not printer.printed and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        spooler.stop()
        runner.join(20)
    assert printer.printed == [people[0].first_name]


# --- the API -------------------------------------------------------------------------------


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def organiser(station_token):
    return bearer(station_token("organiser"))


def test_printers_are_added_by_the_organiser_and_checked(client, loaded, organiser,
                                                         station_token):
    """POST /api/printers: settings checked by the driver (400 with the reason); reception
    sees the printers but may not add one; a caterer or a kiosk sees nothing."""
    good = client.post("/api/printers", headers=organiser, json={
        "name": "A6 onthaal", "kind": "cups", "settings": {"queue": "Onthaal-A6"}})
    assert good.status_code == 201
    assert good.get_json()["settings"] == {"queue": "Onthaal-A6", "server": None,
                                           "layout": "a6", "media": None, "timeout": 120}
    bad = client.post("/api/printers", headers=organiser, json={
        "name": "X", "kind": "zpl", "settings": {"address": "printer; reboot"}})
    assert bad.status_code == 400 and "address" in bad.get_json()["message"]
    twice = client.post("/api/printers", headers=organiser, json={
        "name": "A6 onthaal", "kind": "cups", "settings": {"queue": "B"}})
    assert twice.status_code == 400 and "al een printer" in twice.get_json()["message"]
    reception = bearer(station_token("reception"))
    assert client.get("/api/printers", headers=reception).get_json()["printers"][0]["name"] == \
        "A6 onthaal"
    assert client.post("/api/printers", headers=reception, json={}).status_code == 403
    for role in ("caterer", "kiosk"):
        token = station_token(role) if role != "kiosk" else _kiosk(loaded, client)
        assert client.get("/api/printers", headers=bearer(token)).status_code == 403


def _kiosk(db, client) -> str:
    from kiosk.event import load_event

    _station, token = auth.create_station(db, load_event(), "kiosk", "Kiosk", pin="4821")
    return token


def test_print_on_arrival_queues_a_badge_for_each_check_in_at_that_station(
        client, loaded, organiser, station_token, label_printer, people):
    """A reception station with a printer and "print on arrival" on: a check-in queues the
    person's badge (once: the second scan is 'already'); without the setting, nothing."""
    token = station_token("reception")
    station = station_store.by_token_hash(loaded, auth.hash_token(token))
    scan = {"code": people[0].badge_code}
    off = client.post("/api/scans", headers=bearer(token), json=scan).get_json()
    assert off["result"] == "checked_in" and off.get("print_job") is None
    answer = client.put(f"/api/stations/{station.id}/settings", headers=organiser,
                        json={"printer_id": label_printer.id, "print_on_arrival": True})
    assert answer.get_json() == {"station_id": station.id, "printer_id": label_printer.id,
                                 "print_on_arrival": True, "pin_set": False}
    body = client.post("/api/scans", headers=bearer(token),
                       json={"code": people[1].badge_code}).get_json()
    assert body["print_job"]["state"] == "queued" and body["print_job"]["reason"] == "arrival"
    again = client.post("/api/scans", headers=bearer(token), json={"code": people[1].badge_code})
    assert again.get_json()["result"] == "already" and "print_job" not in again.get_json()
    assert [(j.attendee_id, j.reason) for j in printing_store.jobs(loaded)] == [
        (people[1].id, "arrival")]


def test_a_walk_in_at_a_station_with_a_printer_gets_the_badge_at_once(
        client, loaded, organiser, station_token, label_printer):
    """Walk-ins have no badge: a station with a printer queues theirs straight away."""
    token = station_token("reception")
    station = station_store.by_token_hash(loaded, auth.hash_token(token))
    auth.configure(loaded, station.id, printer_id=label_printer.id)
    body = client.post("/api/walk-ins", headers=bearer(token),
                       json={"first_name": "Nieuw", "last_name": "Iemand"}).get_json()
    assert body["print_job"]["reason"] == "walk_in" and body["print_job"]["name"] == \
        "Nieuw Iemand"


def test_retry_and_cancel_through_the_api(client, loaded, organiser, station_token,
                                          label_printer, people, db_path, event):
    """POST /api/print-jobs/ID/retry on a failed job queues it again; on a done one 409;
    an unknown job 404; the queue page lists the printer and its jobs."""
    reception = bearer(station_token("reception"))
    job = client.post("/api/print-jobs", headers=reception, json={
        "attendee_id": people[0].id, "printer_id": label_printer.id}).get_json()
    spooler = spool(db_path, event, Printer(fail={people[0].first_name: "deksel open"}))
    spooler.drain(label_printer.id)
    listed = client.get("/api/printers", headers=reception).get_json()["printers"][0]
    assert listed["halted"] and listed["jobs"][0]["error"] == "deksel open"
    retried = client.post(f"/api/print-jobs/{job['id']}/retry", headers=reception)
    assert retried.status_code == 200 and retried.get_json()["state"] == "queued"
    spooler.drain(label_printer.id)
    spooler.release()
    assert client.post(f"/api/print-jobs/{job['id']}/retry", headers=reception).status_code \
        == 409
    assert client.post("/api/print-jobs/999/retry", headers=reception).status_code == 404
    assert client.post("/api/print-jobs", headers=reception,
                       json={"attendee_id": people[0].id}).get_json()["error"] == "no_printer"


def test_a_lost_badge_gets_a_new_code_and_the_old_one_stops_working(
        client, loaded, organiser, station_token, label_printer, people):
    """Reprint: a new code (the old one scans as unknown from now on), a new badge
    version, and a print job on the given printer."""
    reception = bearer(station_token("reception"))
    old = people[0].badge_code
    body = client.post(f"/api/attendees/{people[0].id}/reprint", headers=reception,
                       json={"printer_id": label_printer.id}).get_json()
    assert body["code"] != old and body["print_job"]["reason"] == "reprint"
    person = attendee_store.get(loaded, people[0].id)
    assert (person.badge_code, person.badge_version) == (body["code"], 2)
    scans = [client.post("/api/scans", headers=reception, json={"code": c}).get_json()["result"]
             for c in (old, body["code"])]
    assert scans == ["unknown", "checked_in"]
    assert client.post("/api/attendees/9999/reprint", headers=reception,
                       json={}).status_code == 404


def test_station_settings_refuse_what_does_not_exist(client, loaded, organiser, station_token):
    """Unknown station 404, unknown printer 400, a PIN that is no PIN 400, wrong types 400;
    nothing is written."""
    put = lambda sid, body: client.put(f"/api/stations/{sid}/settings", headers=organiser,  # noqa: E731
                                       json=body)
    assert put(999, {"print_on_arrival": True}).status_code == 404
    assert put(1, {"printer_id": 42}).status_code == 400
    assert put(1, {"pin": "12ab"}).status_code == 400
    assert put(1, {"print_on_arrival": "ja"}).status_code == 400
    assert station_store.settings(loaded, 1).printer_id is None


def test_the_queue_page_is_for_reception_and_the_organiser(paired, loaded, label_printer):
    """/printing shows the printers to reception; a caterer gets 403."""
    page = paired("reception").get("/printing")
    assert page.status_code == 200 and b"Labels" in page.data
    assert paired("caterer").get("/printing").status_code == 403


def test_wiping_a_rehearsal_takes_its_walk_ins_print_jobs_along(client, loaded, station_token,
                                                                 label_printer):
    """A walk-in registered during a rehearsal had its badge queued: `reset --rehearsal`
    removes the walk-in and its print jobs with it (and nothing else)."""
    from kiosk.rehearsal import wipe

    token = station_token("reception")
    station = station_store.by_token_hash(loaded, auth.hash_token(token))
    auth.configure(loaded, station.id, printer_id=label_printer.id)
    real = queue.enqueue(loaded, label_printer.id, attendee_store.all_attendees(loaded)[0].id)
    body = client.post("/api/walk-ins", headers=bearer(token),
                       json={"first_name": "Oefen", "last_name": "Persoon"}).get_json()
    assert body["print_job"]["state"] == "queued"  # the tests' clock is a rehearsal's
    wiped = wipe.rehearsals(loaded)
    assert wiped.walk_ins == 1
    assert [j.id for j in printing_store.jobs(loaded)] == [real.id]
