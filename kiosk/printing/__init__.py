"""Printing: badges and the paper list, as images and PDFs.

`face`: what a badge shows, as plain values (never the store's rows); `template`: the
look as data (badges/template.toml); `canvas` and `textfit`: drawing and fitting text;
`qr`: the QR code; `badge`: one badge drawn; `sheets`: print order, A4 grids and PDFs;
`checklist`: the alphabetical paper check-in list.

May import: `kiosk.registrations.codes` (how a code is grouped for reading),
`kiosk.event`, `kiosk.text`, Pillow, qrcode, fpdf2. Not the store: callers hand over
plain badge faces. Never Flask or click.
"""
