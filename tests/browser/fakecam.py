"""Still images as Chromium fake-camera video (Y4M), made with Pillow alone.

Chromium's `--use-file-for-fake-video-capture=FILE.y4m` plays a YUV4MPEG2 file as the
camera; a single frame loops as a still picture. It accepts only 4:2:0 files with a plain
header (no per-frame parameters), so we write exactly the header and layout that was
checked on Debian's Chromium (../shared/NOTES.md): 640x480, I420 planes, BT.601 limited
range (Y 16-235, Cb/Cr 16-240).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480
HEADER = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode("ascii")
FRAME_BYTES = WIDTH * HEIGHT * 3 // 2  # Y at full size, Cb and Cr at half width and height

# Pillow's "YCbCr" is JPEG's full range (0-255); a camera delivers limited range.
_LUMA = [16 + round(v * 219 / 255) for v in range(256)]
_CHROMA = [128 + round((v - 128) * 224 / 255) for v in range(256)]
# And back, for read_y4m_frame.
_LUMA_FULL = [min(255, max(0, round((v - 16) * 255 / 219))) for v in range(256)]
_CHROMA_FULL = [min(255, max(0, 128 + round((v - 128) * 255 / 224))) for v in range(256)]


def fit_frame(
    image: Image.Image, fill: float = 0.9, background: tuple[int, int, int] = (255, 255, 255)
) -> Image.Image:
    """`image` scaled to take `fill` of a 640x480 frame, centred, letterboxed.

    A small QR code is blown up with nearest-neighbour so its modules stay sharp; a large
    badge is shrunk with Lanczos so its text and modules stay legible.
    """
    image = _flatten(image, background)
    scale = min(WIDTH * fill / image.width, HEIGHT * fill / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.LANCZOS
    frame = Image.new("RGB", (WIDTH, HEIGHT), background)
    frame.paste(image.resize(size, resample), ((WIDTH - size[0]) // 2, (HEIGHT - size[1]) // 2))
    return frame


def y4m_bytes(image: Image.Image | str | Path, fill: float = 0.9) -> bytes:
    """A one-frame Y4M video showing `image` (a PIL image or an image file)."""
    if not isinstance(image, Image.Image):
        with Image.open(image) as opened:
            image = opened.copy()
    y, cb, cr = fit_frame(image, fill).convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    planes = [
        y.point(_LUMA),
        cb.resize(half, Image.Resampling.BOX).point(_CHROMA),
        cr.resize(half, Image.Resampling.BOX).point(_CHROMA),
    ]
    frame = b"".join(plane.tobytes() for plane in planes)
    assert len(frame) == FRAME_BYTES
    return HEADER + b"FRAME\n" + frame


def write_y4m(image: Image.Image | str | Path, path: str | Path, fill: float = 0.9) -> Path:
    """Write `image` as a one-frame Y4M to `path` (use a .y4m suffix) and return the path."""
    path = Path(path)
    path.write_bytes(y4m_bytes(image, fill))
    return path


def read_y4m_frame(path: str | Path) -> Image.Image:
    """The first frame of a Y4M written by `write_y4m`, back as RGB: to look at or decode."""
    data = Path(path).read_bytes()
    if not data.startswith(HEADER):
        raise ValueError(f"{path}: not a 640x480 C420jpeg Y4M written by fakecam")
    start = len(HEADER) + len(b"FRAME\n")
    y_size, c_size = WIDTH * HEIGHT, WIDTH * HEIGHT // 4
    half = (WIDTH // 2, HEIGHT // 2)
    y = Image.frombytes("L", (WIDTH, HEIGHT), data[start : start + y_size])
    cb = Image.frombytes("L", half, data[start + y_size : start + y_size + c_size])
    cr = Image.frombytes("L", half, data[start + y_size + c_size : start + y_size + 2 * c_size])
    planes = [
        y.point(_LUMA_FULL),
        cb.resize((WIDTH, HEIGHT)).point(_CHROMA_FULL),
        cr.resize((WIDTH, HEIGHT)).point(_CHROMA_FULL),
    ]
    return Image.merge("YCbCr", planes).convert("RGB")


def _flatten(image: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    """RGB on `background`: transparent PNG areas must not turn black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")
