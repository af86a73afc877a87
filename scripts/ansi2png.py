#!/usr/bin/env python3
"""Render terminal captures (tmux capture-pane -e) to PNG: SGR colours, bold, reverse.

Usage: python3 scripts/ansi2png.py assets/screenshots/*.ansi   (writes NAME.png beside each)
Needs Pillow and a monospace font (Debian: fonts-dejavu-core).
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
PALETTE = [(30, 30, 30), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229)]
BRIGHT = [(102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
FG, BG = (204, 204, 204), (24, 24, 24)
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def render(path, columns=None):
    text = open(path, encoding="utf-8", errors="replace").read().rstrip("\n").split("\n")
    rows = []
    for line in text:
        cells, style = [], {"fg": None, "bg": None, "bold": False, "dim": False, "reverse": False}
        pos = 0
        for match in SGR.finditer(line):
            for ch in line[pos:match.start()]:
                cells.append((ch, dict(style)))
            pos = match.end()
            codes = [int(c) if c else 0 for c in match.group(1).split(";")] or [0]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    style = {"fg": None, "bg": None, "bold": False, "dim": False, "reverse": False}
                elif c == 1: style["bold"] = True
                elif c == 2: style["dim"] = True
                elif c == 7: style["reverse"] = True
                elif c == 22: style["bold"] = style["dim"] = False
                elif c == 27: style["reverse"] = False
                elif 30 <= c <= 37: style["fg"] = PALETTE[c - 30]
                elif c == 39: style["fg"] = None
                elif 40 <= c <= 47: style["bg"] = PALETTE[c - 40]
                elif c == 49: style["bg"] = None
                elif 90 <= c <= 97: style["fg"] = BRIGHT[c - 90]
                elif 100 <= c <= 107: style["bg"] = BRIGHT[c - 100]
                elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    n = codes[i + 2]
                    colour = PALETTE[n] if n < 8 else BRIGHT[n - 8] if n < 16 else (180, 180, 180)
                    style["fg" if c == 38 else "bg"] = colour
                    i += 2
                i += 1
        for ch in line[pos:]:
            cells.append((ch, dict(style)))
        rows.append(cells)
    width = columns or max(len(r) for r in rows)
    font, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(BOLD, 15)
    cw, ch = int(font.getlength("M")), 19
    image = Image.new("RGB", (width * cw + 16, len(rows) * ch + 16), BG)
    draw = ImageDraw.Draw(image)
    for y, cells in enumerate(rows):
        for x, (char, s) in enumerate(cells):
            fg, bg = s["fg"] or FG, s["bg"] or BG
            if s["reverse"]:
                fg, bg = bg, fg
            if s["dim"]:
                fg = tuple(v * 6 // 10 for v in fg)
            left, top = 8 + x * cw, 8 + y * ch
            if bg != BG:
                draw.rectangle([left, top, left + cw - 1, top + ch - 1], fill=bg)
            if char != " ":
                draw.text((left, top + 1), char, font=bold if s["bold"] else font, fill=fg)
    out = path.rsplit(".", 1)[0] + ".png"
    image.save(out)
    print(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        render(name)
