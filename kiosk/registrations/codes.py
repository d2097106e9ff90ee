"""Badge codes: what the QR code on a badge holds.

A code is 16 random characters of Crockford's base-32 alphabet (80 bits from `secrets`)
followed by one check character (Luhn mod 32). Only digits and upper-case letters: the QR
code then uses its compact alphanumeric mode. The check character catches every single
mistyped character and most swapped neighbours before the database is even asked, and
`normalise` forgives what people type by hand (lower case, spaces, dashes, O for 0, I/L
for 1). No personal data is in the code.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
BODY_LENGTH = 16  # 16 x 5 bits = 80 bits of randomness
LENGTH = BODY_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_INPUT = 64  # anything longer is not a code someone typed or a scanner read


def new_code() -> str:
    """A fresh random badge code with its check character."""
    bits = int.from_bytes(secrets.token_bytes(BODY_LENGTH * 5 // 8))
    body = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(BODY_LENGTH))
    return body + check_character(body)


def check_character(body: str) -> str:
    """Luhn mod 32 over the body: doubles every second value from the right."""
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def normalise(text: str) -> str:
    """What someone typed or a scanner sent, as the canonical code text (may be invalid)."""
    text = text[:MAX_INPUT * 2].strip().upper()
    text = "".join(ch for ch in text if ch not in " -_.\t")
    return text.translate(_TYPED)


def is_valid(code: str) -> bool:
    """True when `code` is canonical, the right length, and its check character matches."""
    if len(code) != LENGTH or any(ch not in _VALUE for ch in code):
        return False
    return check_character(code[:-1]) == code[-1]


def display(code: str) -> str:
    """Grouped for reading aloud or typing: 'ABCD EFGH JKMN PQRS T'."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
