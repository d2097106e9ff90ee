"""Badge codes: random, compact, and a mistyped character never finds somebody else."""

from __future__ import annotations

import math

from kiosk.registrations import codes


def test_a_code_carries_at_least_80_random_bits_in_qr_alphanumeric_characters():
    code = codes.new_code()
    assert len(code) == codes.LENGTH
    assert codes.BODY_LENGTH * math.log2(len(codes.ALPHABET)) >= 80
    assert set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert codes.is_valid(code)
    assert len({codes.new_code() for _ in range(1000)}) == 1000


def test_every_single_mistyped_character_is_caught():
    code = codes.new_code()
    for i in range(len(code)):
        for other in codes.ALPHABET:
            if other != code[i]:
                assert not codes.is_valid(code[:i] + other + code[i + 1:])


def test_what_people_type_is_forgiven():
    code = codes.new_code()
    typed = codes.display(code).lower().replace("0", "o").replace("1", "l")
    assert codes.normalise(typed) == code


def test_absurd_input_is_not_valid():
    for text in ["", "<script>", "A" * 10_000, "ÄÖÜ" * 6, codes.new_code()[:-2]]:
        assert not codes.is_valid(codes.normalise(text))
