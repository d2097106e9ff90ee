"""Jobs: work too long for a request, done off it, one at a time, with progress.

`board`: the jobs, their progress and result files, and the worker that drains the queue
(started in a thread the face provides); `printing`: badge runs (all, only changed, one
bestuur, one person, in any layout) and the paper list; `importing`: a registration list
imported; `reporting`: the post-event report. Each kind is a function of a database
connection, the event, the clock and the job, built on the domain services (the printing,
the importer, the report), never a copy of them.

May import: `kiosk.printing`, `kiosk.registrations`, `kiosk.report`, `kiosk.store`,
`kiosk.event`, `kiosk.clock`, `kiosk.text`. Never Flask, click or Socket.IO: which kind of
thread runs a job is the face's choice.
"""
