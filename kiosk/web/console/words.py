"""The console's words: Dutch by default, English with the EN switch (?lang=en, kept).

One entry per phrase, both languages side by side, so a phrase is never translated in one
and forgotten in the other (tests/test_console_pages.py checks the templates use no key
that is missing). Messages from the domain services (an import's reasons, a form's
errors) stay in Dutch, as the command line says them.
"""

from __future__ import annotations

from kiosk.web.i18n import current_language

PHRASES: dict[str, tuple[str, str]] = {
    # navigation and frame
    "nav_label": ("Organisator", "Organiser"),
    "nav_dashboard": ("Dashboard", "Dashboard"),
    "nav_stations": ("Posten", "Stations"),
    "nav_registrations": ("Inschrijvingen", "Registrations"),
    "nav_badges": ("Badges", "Badges"),
    "nav_report": ("Rapport", "Report"),
    "sub_people": ("Deelnemers", "Attendees"),
    "sub_import": ("Lijst importeren", "Import a list"),
    "sub_log": ("Importlogboek", "Import log"),
    "event_time": ("klok van het evenement", "event clock"),
    # errors
    "too_large": ("Het bestand is te groot: hoogstens {mb} MB. Een inschrijvingslijst is "
                  "meestal enkele honderden kB; kijk of je het juiste bestand koos.",
                  "The file is too large: at most {mb} MB. A registration list is usually a "
                  "few hundred kB; check that you picked the right file."),
    "csrf_failed": ("Dit formulier is verlopen of komt niet van deze pagina. Laad de pagina "
                    "opnieuw en probeer nog eens.",
                    "This form has expired or did not come from this page. Reload the page "
                    "and try again."),
    "forbidden": ("Alleen een organisator mag dit.", "Only an organiser may do this."),
    "not_found": ("Deze pagina bestaat niet (meer).", "This page does not exist (any more)."),
    "error_title": ("Dat lukte niet", "That did not work"),
    "back": ("Terug", "Back"),
    # attendees
    "people_title": ("Deelnemers", "Attendees"),
    "search_placeholder": ("Zoek op naam, e-mail, bestuur of badgecode",
                           "Search by name, e-mail, organisation or badge code"),
    "search": ("Zoeken", "Search"),
    "show": ("Toon", "Show"),
    "show_all": ("iedereen", "everyone"),
    "show_registered": ("ingeschreven", "registered"),
    "show_walk_in": ("ter plaatse ingeschreven", "walk-ins"),
    "show_cancelled": ("geannuleerd", "cancelled"),
    "show_arrived": ("aangekomen", "arrived"),
    "show_missing": ("nog niet aangekomen", "not arrived yet"),
    "show_to_print": ("badge te drukken", "badge to print"),
    "col_name": ("Naam", "Name"),
    "col_email": ("E-mail", "E-mail"),
    "col_bestuur": ("Bestuur", "Organisation"),
    "col_function": ("Functie", "Job title"),
    "col_status": ("Status", "Status"),
    "col_arrived": ("Aangekomen", "Arrived"),
    "col_badge": ("Badge", "Badge"),
    "status_registered": ("ingeschreven", "registered"),
    "status_cancelled": ("geannuleerd", "cancelled"),
    "status_walk-in": ("ter plaatse", "walk-in"),
    "on_site": ("op de site", "on site"),
    "left": ("vertrokken", "left"),
    "printed": ("gedrukt", "printed"),
    "to_print": ("te drukken", "to print"),
    "shown_of": ("{shown} van {total} getoond", "{shown} of {total} shown"),
    "summary_line": ("{registered} ingeschreven · {walk_ins} ter plaatse · {cancelled} "
                     "geannuleerd · {arrived} aangekomen",
                     "{registered} registered · {walk_ins} walk-ins · {cancelled} cancelled · "
                     "{arrived} arrived"),
    "nobody_yet": ("Nog geen inschrijvingen.", "No registrations yet."),
    "import_first": ("Importeer de inschrijvingslijst", "Import the registration list"),
    "nobody_found": ("Niemand gevonden voor deze zoekopdracht.", "Nobody matches this search."),
    # one person
    "all_people": ("Alle deelnemers", "All attendees"),
    "details": ("Gegevens", "Details"),
    "first_name": ("Voornaam", "First name"),
    "last_name": ("Familienaam", "Last name"),
    "email": ("E-mailadres", "E-mail address"),
    "email_note": ("Het e-mailadres is de sleutel bij een nieuwe import en wordt hier niet "
                   "gewijzigd.", "The e-mail address is the key of a re-import and is not "
                   "edited here."),
    "organisation": ("Bestuur of organisatie", "Organisation"),
    "function": ("Functie", "Job title"),
    "no_session": ("— geen werksessie —", "— no work session —"),
    "meals": ("Maaltijden", "Meals"),
    "diet": ("Dieetwensen of allergieën", "Dietary needs or allergies"),
    "comments": ("Opmerkingen", "Comments"),
    "save": ("Opslaan", "Save"),
    "reimport_note": ("Let op: een nieuwe volledige import zet de gegevens uit het bestand "
                      "terug.", "Note: a new full import puts back what the file says."),
    "saved": ("Opgeslagen.", "Saved."),
    "saved_stale": ("Opgeslagen. De badge is gewijzigd: druk ze opnieuw af.",
                    "Saved. The badge changed: print it again."),
    "nothing_changed": ("Niets gewijzigd.", "Nothing changed."),
    "presence": ("Aanwezigheid", "Presence"),
    "arrived_at": ("Aangekomen om {time}", "Arrived at {time}"),
    "not_arrived": ("Nog niet aangekomen", "Not arrived yet"),
    "now_at": ("nu: {place}", "now: {place}"),
    "now_gone": ("nu: vertrokken", "now: left"),
    "check_in": ("Aanmelden aan het onthaal", "Check in at reception"),
    "check_out": ("Afmelden (vertrokken)", "Check out (left)"),
    "checked_in": ("Aangemeld.", "Checked in."),
    "checked_out": ("Afgemeld.", "Checked out."),
    "already": ("Niets veranderd: was al zo.", "Nothing changed: already so."),
    "cannot_cancelled": ("Geannuleerd: herstel de inschrijving eerst.",
                         "Cancelled: restore the registration first."),
    "registration": ("Inschrijving", "Registration"),
    "cancel": ("Inschrijving annuleren", "Cancel registration"),
    "cancel_confirm": ("Inschrijving van {name} annuleren? De badge scant dan rood.",
                       "Cancel {name}'s registration? The badge then scans red."),
    "restore": ("Inschrijving herstellen", "Restore registration"),
    "cancelled_done": ("Inschrijving geannuleerd.", "Registration cancelled."),
    "restored_done": ("Inschrijving hersteld.", "Registration restored."),
    "cancelled_note": ("Deze inschrijving is geannuleerd: de badge scant rood.",
                       "This registration is cancelled: the badge scans red."),
    "badge": ("Badge", "Badge"),
    "badge_printed": ("Gedrukt (versie {version}).", "Printed (version {version})."),
    "badge_stale": ("Gewijzigd sinds de laatste druk: druk ze opnieuw af.",
                    "Changed since it was printed: print it again."),
    "badge_never": ("Nog niet gedrukt.", "Not printed yet."),
    "print_one": ("Badge afdrukken (PDF)", "Print badge (PDF)"),
    "movements": ("Bewegingen", "Movements"),
    "no_movements": ("Nog geen scans.", "No scans yet."),
    "col_time": ("Tijd", "Time"),
    "col_place": ("Plaats", "Place"),
    "col_direction": ("In of uit", "In or out"),
    "col_station": ("Post", "Station"),
    "col_remark": ("Opmerking", "Remark"),
    "dir_in": ("binnen", "in"),
    "dir_out": ("buiten", "out"),
    "undo_of": ("ongedaan maken van een scan", "undo of a scan"),
    "undone": ("ongedaan gemaakt", "undone"),
    "rehearsal": ("repetitie", "rehearsal"),
    "offline_sent": ("offline gescand om {time}", "scanned offline at {time}"),
    # import
    "import_title": ("Lijst importeren", "Import a registration list"),
    "drop_here": ("Sleep het CSV- of XLSX-bestand hierheen", "Drop the CSV or XLSX file here"),
    "or_choose": ("of kies een bestand", "or choose a file"),
    "file_limit": ("CSV (komma of puntkomma) of XLSX, hoogstens {mb} MB.",
                   "CSV (comma or semicolon) or XLSX, at most {mb} MB."),
    "partial": ("Gedeeltelijke lijst: niemand annuleren die er niet in staat",
                "Partial list: cancel nobody who is missing from it"),
    "preview": ("Voorbeeld bekijken", "Preview"),
    "nothing_saved_yet": ("Er wordt nog niets opgeslagen: je ziet eerst wat de import zou "
                          "doen, en bevestigt dan.", "Nothing is saved yet: you see what the "
                          "import would do first, then confirm."),
    "no_file": ("Kies eerst een bestand.", "Choose a file first."),
    "empty_file": ("Het bestand is leeg.", "The file is empty."),
    "upload_gone": ("Dit voorbeeld is verlopen: laad het bestand opnieuw.",
                    "This preview has expired: upload the file again."),
    "preview_title": ("Voorbeeld: {filename}", "Preview: {filename}"),
    "dry_run": ("Proefimport: er is nog niets opgeslagen.",
                "Dry run: nothing has been saved yet."),
    "rows_read": ("rijen gelezen", "rows read"),
    "count_added": ("nieuw", "new"),
    "count_updated": ("gewijzigd", "changed"),
    "count_unchanged": ("ongewijzigd", "unchanged"),
    "count_restored": ("opnieuw ingeschreven", "restored"),
    "count_cancelled": ("geannuleerd", "cancelled"),
    "count_rejected": ("geweigerd", "rejected"),
    "count_warnings": ("waarschuwingen", "warnings"),
    "will_cancel": ("{n} inschrijvingen worden geannuleerd, omdat ze niet in dit bestand "
                    "staan:", "{n} registrations will be cancelled because they are not in "
                    "this file:"),
    "and_more": ("en {n} anderen", "and {n} others"),
    "mass_cancel_title": ("Deze import wordt geweigerd", "This import will be refused"),
    "mass_cancel_help": ("Kijk na of dit de volledige, recentste lijst is. Een lijst met "
                         "alleen nieuwe inschrijvingen importeer je als aanvulling (niemand "
                         "wordt geannuleerd).",
                         "Check that this is the complete, latest list. A list of new "
                         "registrations only is imported as an addition (nobody is "
                         "cancelled)."),
    "mass_cancel_confirm": ("Ik weet het: annuleer toch {n} inschrijvingen",
                            "I know: cancel {n} registrations anyway"),
    "columns": ("Kolommen", "Columns"),
    "columns_help": ("Zo worden de kolommen van het bestand gelezen. Een kolom die niet "
                     "herkend werd, koppel je hier aan een veld.",
                     "How the file's columns are read. Map a column that was not "
                     "recognised to a field here."),
    "col_column": ("Kolom in het bestand", "Column in the file"),
    "col_field": ("Veld", "Field"),
    "unused": ("— niet gebruikt —", "— not used —"),
    "apply_mapping": ("Koppeling toepassen", "Apply mapping"),
    "first_rows": ("De eerste rijen, zoals ze opgeslagen worden",
                   "The first rows, as they will be stored"),
    "col_row": ("Rij", "Row"),
    "col_what": ("Wat er gebeurt", "What happens"),
    "col_sessions": ("Werksessies", "Work sessions"),
    "col_meals": ("Maaltijden", "Meals"),
    "col_diet": ("Dieet", "Diet"),
    "rejected_rows": ("Geweigerde rijen", "Rejected rows"),
    "rejected_help": ("Deze rijen worden niet geïmporteerd. Verbeter ze in het bestand en "
                      "importeer opnieuw.", "These rows are not imported. Fix them in the "
                      "file and import again."),
    "no_rejected": ("Geen geweigerde rijen.", "No rejected rows."),
    "warnings": ("Waarschuwingen", "Warnings"),
    "col_reason": ("Reden", "Reason"),
    "col_value": ("Waarde", "Value"),
    "col_cells": ("De rij", "The row"),
    "confirm_import": ("Importeren", "Import"),
    "other_file": ("Ander bestand kiezen", "Choose another file"),
    "importing": ("Importeren…", "Importing…"),
    "file_error": ("Dit bestand kan niet geïmporteerd worden:", "This file cannot be "
                   "imported:"),
    # import log
    "log_title": ("Importlogboek", "Import log"),
    "no_imports": ("Nog niets geïmporteerd.", "Nothing imported yet."),
    "col_when": ("Wanneer", "When"),
    "col_file": ("Bestand", "File"),
    "col_kind": ("Soort", "Kind"),
    "full_list": ("volledig", "full"),
    "partial_list": ("gedeeltelijk", "partial"),
    "open": ("bekijken", "open"),
    "import_n": ("Import {id}: {filename}", "Import {id}: {filename}"),
    "imported_done": ("Geïmporteerd.", "Imported."),
    "no_issues": ("Geen geweigerde rijen en geen waarschuwingen.",
                  "No rejected rows and no warnings."),
    "severity_error": ("geweigerd", "rejected"),
    "severity_warning": ("waarschuwing", "warning"),
    # badges
    "badges_title": ("Badges", "Badges"),
    "badges_counts": ("{all} badges (iedereen die niet geannuleerd is) · {changed} nieuw of "
                      "gewijzigd sinds de vorige druk", "{all} badges (everyone not "
                      "cancelled) · {changed} new or changed since the last print"),
    "which": ("Welke badges", "Which badges"),
    "who_all": ("Alle badges ({n})", "All badges ({n})"),
    "who_changed": ("Alleen nieuw of gewijzigd sinds de vorige druk ({n})",
                    "Only new or changed since the last print ({n})"),
    "who_bestuur": ("Eén bestuur", "One organisation"),
    "who_person": ("Eén persoon? Open de deelnemer bij Inschrijvingen.",
                   "One person? Open the attendee under Registrations."),
    "layout": ("Lay-out", "Layout"),
    "layout_a4": ("A4-vellen: 10 badges per blad, met snijtekens",
                  "A4 sheets: 10 badges a sheet, with crop marks"),
    "layout_cr80": ("CR80 (85,6 × 54 mm): badgeprinter, één per pagina",
                    "CR80 (85.6 × 54 mm): badge printer, one a page"),
    "layout_a6": ("A6: één per pagina", "A6: one a page"),
    "order": ("Volgorde", "Order"),
    "sort_name": ("op familienaam", "by last name"),
    "sort_bestuur": ("per bestuur", "per organisation"),
    "make_pdf": ("PDF maken", "Make the PDF"),
    "paper_title": ("Papieren aanwezigheidslijst", "Paper check-in list"),
    "paper_help": ("Voor als alles uitvalt: iedereen alfabetisch, met een vakje, bestuur, "
                   "zalen en badgecode.", "For when everything fails: everyone "
                   "alphabetically, with a tick box, organisation, rooms and badge code."),
    "make_list": ("Lijst maken (PDF)", "Make the list (PDF)"),
    "recent_jobs": ("Gemaakt", "Made"),
    "no_jobs": ("Nog niets gemaakt sinds de server startte.",
                "Nothing made since the server started."),
    # jobs
    "job_queued": ("wacht op zijn beurt", "waiting for its turn"),
    "job_running": ("bezig", "working"),
    "job_done": ("klaar", "done"),
    "job_failed": ("mislukt", "failed"),
    "job_unknown": ("Deze opdracht is onbekend: de server werd misschien herstart. Start ze "
                    "opnieuw.", "This job is unknown: the server may have restarted. Start "
                    "it again."),
    "download": ("Downloaden", "Download"),
    "see_result": ("Bekijk het resultaat", "See the result"),
    "started": ("Gestart: {title}", "Started: {title}"),
    "job_badges": ("Badges", "Badges"),
    "job_checklist": ("Aanwezigheidslijst", "Check-in list"),
    "job_import": ("Import", "Import"),
    "job_report": ("Rapport", "Report"),
    # report
    "report_title": ("Rapport", "Report"),
    "report_help": ("Het rapport van de dag: report.html (één bestand, opent overal, ook "
                    "zonder netwerk) en report.pdf, met de aankomsten, de opkomst per "
                    "bestuur en per werksessie, de kruisbestuiving, lunch en netwerkmoment, "
                    "en de scans per post; plus attendance.csv/.xlsx en movements.csv.",
                    "The day's report: report.html (one file, opens anywhere, also without "
                    "a network) and report.pdf, with arrivals, turnout per organisation and "
                    "per work session, cross-pollination, lunch and networking, and scans "
                    "per station; plus attendance.csv/.xlsx and movements.csv."),
    "make_report": ("Rapport maken", "Make the report"),
    "key_figures": ("Kerncijfers nu", "Key figures now"),
    "k_registered": ("vooraf ingeschreven", "registered beforehand"),
    "k_arrived": ("gekomen", "came"),
    "k_no_shows": ("niet gekomen", "did not come"),
    "k_walk_ins": ("ter plaatse ingeschreven", "walk-ins"),
    "k_cancelled": ("geannuleerd", "cancelled"),
    "k_peak": ("meeste tegelijk op de site", "most on site at once"),
    "purged_note": ("De persoonsgegevens zijn verwijderd (purge): het rapport wordt gemaakt "
                    "uit de bewaarde totalen.", "The personal data was removed (purge): the "
                    "report is made from the totals that were kept."),
    "purge_title": ("Na het evenement: persoonsgegevens verwijderen",
                    "After the event: removing personal data"),
    "purge_help": ("Op de server: python -m kiosk purge. Dat verwijdert namen, e-mailadressen, "
                   "functies, dieetwensen, opmerkingen, badgecodes, de scans en de gemaakte "
                   "bestanden, en bewaart de anonieme totalen: dit rapport blijft werken.",
                   "On the server: python -m kiosk purge. It removes names, e-mail addresses, "
                   "job titles, dietary needs, comments, badge codes, the scans and the files "
                   "made, and keeps the anonymous totals: this report keeps working."),
}


def words(lang: str | None = None) -> dict[str, str]:
    """Every phrase in one language (the request's when not given)."""
    index = 1 if (lang or current_language()) == "en" else 0
    return {key: pair[index] for key, pair in PHRASES.items()}
