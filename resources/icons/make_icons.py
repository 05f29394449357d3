"""Draw the kkrdesk app icon (PNG 16–256, .ico for Windows, .icns for macOS).

Drawn in code rather than shipped as an opaque binary so the icon can be
reproduced and tweaked: a KKR-blue rounded square holding a document sheet
with a folded corner and a white "K". Supersampled 4x and downscaled, because
Pillow's ImageDraw does not antialias shapes. Run from the repo root:

    .venv/bin/python resources/icons/make_icons.py

Not bundled into the app itself (build.spec lists the icon files explicitly).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
SIZES = (16, 32, 48, 64, 128, 256)
PNG_SIZES = (16, 32, 64, 128, 256)
SCALE = 4  # supersampling factor

BLUE_DARK = (10, 63, 122)    # background, a deep "municipal" blue
BLUE_SHEET = (38, 110, 189)  # the document sheet
BLUE_FOLD = (150, 190, 232)  # the folded corner
WHITE = (255, 255, 255)


def _bold_font(px: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans Bold from matplotlib's data folder (always installed with the app's deps)."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    return ImageFont.truetype(str(path), px)


def draw_icon(size: int = 256) -> Image.Image:
    """One icon image of size x size pixels (RGBA, transparent outside the rounded square)."""
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin = round(s * 0.04)
    d.rounded_rectangle((margin, margin, s - margin, s - margin), radius=round(s * 0.2), fill=BLUE_DARK)

    # The document: a portrait sheet whose top-right corner is folded over.
    left, top, right, bottom = s * 0.24, s * 0.16, s * 0.76, s * 0.84
    fold = s * 0.15
    sheet = [(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)]
    d.polygon(sheet, fill=BLUE_SHEET)
    d.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=BLUE_FOLD)

    # The white K, centred on the sheet (a bit below the fold).
    font = _bold_font(round(s * 0.42))
    cx, cy = (left + right) / 2, (top + fold * 0.5 + bottom) / 2
    d.text((cx, cy), "K", font=font, fill=WHITE, anchor="mm")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    big = draw_icon(256)
    for size in PNG_SIZES:
        draw_icon(size).save(HERE / f"kkrdesk-{size}.png", optimize=True)
    big.save(HERE / "kkrdesk.ico", sizes=[(n, n) for n in SIZES])
    draw_icon(1024).save(HERE / "kkrdesk.icns")


if __name__ == "__main__":
    main()
