"""The QR code of a badge: qrcode builds it; this module only chooses its mask faster.

A QR encoder tries the eight masks and keeps the one with the lowest penalty (ISO/IEC
18004, 7.8.3: long runs, 2x2 blocks, finder-like patterns, dark/light balance), so that
no mask leaves patterns that confuse a scanner. qrcode does this by placing every data bit
eight times over and scoring each result cell by cell in pure Python: about 10 ms a code,
most of a print run's time. The placement is the same for every mask, only which modules
flip differs; so we place once, flip per mask with integer operations, and score rows and
columns as bit strings with regular expressions. Same rules, same choice (the tests hold
it to qrcode's own on hundreds of codes), several times faster.
"""

from __future__ import annotations

import re

import qrcode
from qrcode import util
from qrcode.main import precomputed_qr_blanks

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = re.compile(r"(?=10111010000|00001011101)")  # overlapping matches
_flips: dict[int, list[list[int]]] = {}  # version -> per mask, per row: the data bits


class BadgeQRCode(qrcode.QRCode):
    """qrcode's QRCode with the fast mask choice."""

    def best_mask_pattern(self) -> int:
        return best_mask(self)


def qr_matrix(code: str, level: str = "Q", quiet_zone: int = 4) -> list[list[bool]]:
    """The QR code's modules, quiet zone included (True is dark)."""
    qr = BadgeQRCode(error_correction=LEVELS[level], border=quiet_zone, box_size=1)
    qr.add_data(code)  # upper-case base-32: qrcode picks the compact alphanumeric mode
    qr.make(fit=True)
    return qr.get_matrix()


def best_mask(qr: qrcode.QRCode) -> int:
    """The mask qrcode's best_mask_pattern would choose, computed once per placement."""
    qr.makeImpl(True, 0)  # test mode, as qrcode scores: format bits light
    flips = _flips_for(qr)
    placed = [_row_bits(row) for row in qr.modules]
    plain = [bits ^ flip for bits, flip in zip(placed, flips[0], strict=True)]
    scores = [penalty([bits ^ flip for bits, flip in zip(plain, flips[m], strict=True)],
                      qr.modules_count) for m in range(8)]
    return scores.index(min(scores))  # the first of equals, as qrcode does


def penalty(rows: list[int], n: int) -> int:
    """The four penalty rules over a symbol given as one int per row (bit c = column c)."""
    lines = [format(bits, f"0{n}b")[::-1] for bits in rows]
    # every row and column in one string, kept apart by a separator that is neither colour,
    # so that each rule is one regular-expression pass
    text = "|".join(lines + ["".join(column) for column in zip(*lines, strict=True)])
    runs = _RUN.findall(text)
    score = sum(map(len, runs)) - 2 * len(runs)  # a run of L >= 5 costs 3 + (L - 5)
    score += 40 * len(_FINDER_LIKE.findall(text))
    width = (1 << (n - 1)) - 1
    for top, bottom in zip(rows, rows[1:], strict=False):
        same = ~(top ^ bottom)  # the column pair agrees vertically
        block = same & (same >> 1) & ~(top ^ (top >> 1)) & width
        score += 3 * block.bit_count()
    dark = sum(bits.bit_count() for bits in rows)
    return score + 10 * int(abs(dark / (n * n) * 100 - 50) / 5)


def _row_bits(row: list[bool | None]) -> int:
    return sum(1 << c for c, dark in enumerate(row) if dark)


def _flips_for(qr: qrcode.QRCode) -> list[list[int]]:
    """Per mask, per row, the data modules that mask flips (the same for every code of a
    version): the cells left empty once the fixed patterns and format bits are drawn."""
    if qr.version not in _flips:
        saved, qr.modules = qr.modules, [row[:] for row in precomputed_qr_blanks[qr.version]]
        qr.setup_type_info(True, 0)
        if qr.version >= 7:
            qr.setup_type_number(True)
        data = [(r, c) for r, row in enumerate(qr.modules) for c, v in enumerate(row)
                if v is None]
        qr.modules = saved
        masks = [util.mask_func(m) for m in range(8)]
        n = qr.modules_count
        _flips[qr.version] = [
            [sum(1 << c for r, c in data if r == row and mask(r, c)) for row in range(n)]
            for mask in masks]
    return _flips[qr.version]
