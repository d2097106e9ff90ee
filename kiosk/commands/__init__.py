"""`python -m kiosk`: the click group (`cli`, Flask's CLI) and one module of commands per
subject: registrations, badges, stations, serving (serve, demo), rehearsal (simulate,
reset), printers (printer, print-spooler), report (report, purge), backup. Commands call the
domain and print; user errors are one clear line.

May import anything of kiosk; nothing below it imports this package.
"""

from kiosk.commands.backup import backup_command
from kiosk.commands.badges import badges_command, checklist_command
from kiosk.commands.printers import printer_group, spooler_command
from kiosk.commands.registrations import export_command, import_command
from kiosk.commands.rehearsal import reset_command, simulate_command
from kiosk.commands.report import purge_command, report_command
from kiosk.commands.serving import demo_command, serve_command
from kiosk.commands.stations import station_group

COMMANDS = [import_command, export_command, serve_command, demo_command, station_group,
            badges_command, checklist_command, simulate_command, reset_command, printer_group,
            spooler_command, report_command, purge_command, backup_command]
