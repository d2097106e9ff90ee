"""The print queue: badges waiting for a printer, sent one at a time, each confirmed.

`queue`: printers (add, list, remove), print jobs (enqueue, retry, cancel, what the
reception and the organiser see), a lost badge reprinted with a new code. `worker`: the
spooler that sends each printer's jobs in order, waits for the printer's confirmation
before the next, marks a job failed with the printer's words (and holds that printer's
queue until somebody retries or cancels), and never loses a job. It runs as a process of
its own next to the server (`python -m kiosk print-spooler`), so a printer that hangs
never holds up a scan.

May import `kiosk.store`, `kiosk.printing`, `kiosk.registrations`, `kiosk.event`,
`kiosk.clock`, `kiosk.text`. Never Flask, click or Socket.IO.
"""
