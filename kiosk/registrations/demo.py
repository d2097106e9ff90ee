"""The embedded demo: fictional STRATEGIO registrations, as the organiser's form exports them.

Deterministic (a fixed seed), so screenshots and demos look the same every time. The
registrations go through the real import, exactly like a real list would.
"""

from __future__ import annotations

import random

from kiosk.event import Event
from kiosk.text import strip_accents

FIRST = ["An", "Annelies", "Bart", "Bjorn", "Céline", "Charlotte", "Dirk", "Dieter", "Els",
         "Emre", "Fatima", "Filip", "Gert-Jan", "Griet", "Hans", "Hilde", "Inge", "Jan",
         "Jef", "Joris", "Kaat", "Katrien", "Koen", "Leen", "Lieven", "Lotte", "Marie",
         "Nathalie", "Nico", "Noor", "Pieter", "Quinten", "Roos", "Sofie", "Stijn", "Tom",
         "Ulrike", "Veerle", "Wim", "Xavier", "Yasmine", "Zoë", "Anaïs", "François",
         "Jean-Pierre", "Mohamed", "Sanne", "Wouter", "Ellen", "Bram"]
LAST = ["Aerts", "Claes", "Çelik", "De Backer", "De Smet", "D'Hondt", "El Amrani", "Goossens",
        "Hermans", "Huysmans", "Jacobs", "Janssens", "Maes", "Mertens", "Nuyts", "Peeters",
        "Smolders", "Stevens", "Van Dyck", "Van Hoof", "Van Looy", "Van Roey", "Verbruggen",
        "Vermeulen", "Wouters", "Willems", "Van de Velde", "Van Ransbeeck-De Wachter",
        "Vanden Bossche", "Desmedt", "Op de Beeck", "Lambrechts", "Michiels", "Verhaegen"]
FUNCTIONS = ["Beleidsadviseur", "Algemeen directeur", "Financieel directeur",
             "Strategisch coördinator", "Diensthoofd vrije tijd", "Diensthoofd omgeving",
             "Mobiliteitsambtenaar", "Milieuambtenaar", "Coördinator welzijn", "Data-analist",
             "Communicatieverantwoordelijke", "Deskundige wonen", "Beleidsmedewerker economie",
             "Jeugdconsulent", "Klimaatambtenaar"]
# Rough size of each bestuur's delegation: the city sends more people than a small town.
DELEGATION = {"Mechelen": 38, "Heist-op-den-Berg": 22, "Lier": 22, "Willebroek": 17,
              "Puurs-Sint-Amands": 17, "Bornem": 15, "Sint-Katelijne-Waver": 15, "Duffel": 14,
              "Bonheiden": 14, "Nijlen": 14, "Putte": 14, "Berlaar": 12, "IGEMO": 8}
DIETS = [("Vegetarisch", 12), ("Veganistisch", 3), ("Glutenvrij", 3), ("Lactosevrij", 3),
         ("Halal", 3), ("Notenallergie", 2), ("Vegetarisch, geen paprika", 1),
         ("Allergie voor schaaldieren", 1), ("", 72)]
HEADER = ["Voornaam", "Familienaam", "E-mailadres", "Bestuur", "Functie",
          "Werksessie voormiddag", "Werksessie namiddag", "Lunch", "Dieetwensen",
          "Netwerkmoment", "Opmerkingen"]


def demo_rows(event: Event, seed: int = 2023) -> list[list[str]]:
    """About 240 fictional registrations spread over the besturen and themes."""
    rng = random.Random(seed)
    themes = [t.name for t in event.themes]
    rows, seen = [], set()
    for bestuur, size in DELEGATION.items():
        domain = strip_accents(bestuur).lower().replace(" ", "") + ".be"
        while sum(1 for r in rows if r[3] == bestuur) < size:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = _email(first, last, domain)
            if email in seen:
                continue
            seen.add(email)
            morning = rng.choice(themes)
            afternoon = morning if rng.random() < 0.7 else rng.choice(themes)
            diet = rng.choices([d for d, _ in DIETS], [w for _, w in DIETS])[0]
            rows.append([first, last, email, bestuur, rng.choice(FUNCTIONS), morning,
                         afternoon, _yes(rng, 0.9), diet, _yes(rng, 0.65), ""])
    return rows


def _email(first: str, last: str, domain: str) -> str:
    def part(name: str) -> str:
        return "".join(ch for ch in strip_accents(name).lower() if ch.isalnum() or ch == "-")
    return f"{part(first)}.{part(last)}@{domain}"


def _yes(rng: random.Random, p: float) -> str:
    return "ja" if rng.random() < p else "nee"


def demo_csv(event: Event) -> bytes:
    """The demo as the organiser's form exports it: semicolons, UTF-8 with a BOM."""
    lines = [";".join(HEADER)] + [";".join(row) for row in demo_rows(event)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")

# The demo's stations: role -> (label on the start page, location).
DEMO_STATIONS = {
    "reception": ("Onthaal", "onthaal"),
    "host": ("Zaal\u00adverantwoordelijke Zaal Newton", "zaal-2"),  # soft hyphen: fits a button
    "caterer": ("Keuken", None),
    "organiser": ("Organisator", None),
}
