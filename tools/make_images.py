#!/usr/bin/env python3
"""Write the sample archive's story images: ``src/newsdesk/data/sample/images/``.

Every image a sample story refers to (a ``news-image`` id, or an ``image`` node's id or URL) gets a
small generated chart at the story's stated source size and background colour, saved as JPEG
(and one PNG for each story's legacy image by URL, to exercise another format). The charts are
drawn from a seed derived from the image id, so the files are stable. The replay server serves
them at ``/news/image/<id>-resized.jpeg``, the address shape of the real service. Needs Pillow
(`pip install -e .[bench]`)::

    .venv/bin/python tools/make_images.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "newsdesk" / "data" / "sample"
sys.path.insert(0, str(ROOT / "src"))

from newsdesk.replay import image_file_name  # noqa: E402  (after the path set-up)

PREFIX = "https://s3.tradingview.com/news/image/"


def images_in(node: Any, found: dict[str, tuple[int, int, str]]) -> None:
    """Collect ``file name -> (width, height, background)`` of every image below ``node``."""
    if isinstance(node, list):
        for child in node:
            images_in(child, found)
        return
    if not isinstance(node, dict):
        return
    params = node.get("params") if isinstance(node.get("params"), dict) else {}
    image = params.get("image")
    if node.get("type") == "news-image" and isinstance(image, dict) and image.get("id"):
        size = (int(image.get("source-width") or 1200), int(image.get("source-height") or 675))
        found[f"{image['id']}-resized.jpeg"] = (*size, str(image.get("bg-color") or "#ffffff"))
    elif node.get("type") == "image":
        url = params.get("url")
        if isinstance(url, str) and url.startswith(PREFIX):
            found[url.removeprefix(PREFIX)] = (960, 540, "#f4f6fa")
        elif isinstance(image, str) and image:
            found[f"{image}-resized.jpeg"] = (1024, 576, "#ffffff")
    for value in node.values():
        if isinstance(value, (list, dict)):
            images_in(value, found)


def chart(name: str, width: int, height: int, background: str) -> Image.Image:
    """A price-chart-like picture: grid, a random walk line, volume bars."""
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    bg = Image.new("RGB", (1, 1), background).getpixel((0, 0))
    dark = sum(bg) < 380
    ink = (200, 206, 220) if dark else (60, 66, 80)
    grid = tuple(min(255, max(0, c + (28 if dark else -28))) for c in bg)
    image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    for i in range(1, 8):
        draw.line([(0, i * height // 8), (width, i * height // 8)], fill=grid, width=1)
        draw.line([(i * width // 8, 0), (i * width // 8, height)], fill=grid, width=1)
    steps = 120
    value, points = 0.5, []
    for i in range(steps + 1):
        value = min(0.92, max(0.08, value + rng.uniform(-0.05, 0.05)))
        points.append((i * width / steps, (1 - value) * height * 0.75))
    rising = points[-1][1] < points[0][1]
    colour = (38, 166, 154) if rising else (239, 83, 80)
    draw.line(points, fill=colour, width=max(2, width // 300))
    for i in range(0, steps, 2):
        bar = rng.uniform(0.02, 0.18) * height
        x = i * width / steps
        draw.rectangle([x, height - bar, x + width / steps, height], fill=ink)
    return image


def main() -> int:
    found: dict[str, tuple[int, int, str]] = {}
    for path in sorted((SAMPLE / "stories").glob("*.json")):
        images_in(json.loads(path.read_text(encoding="utf-8")), found)
    out = SAMPLE / "images"
    out.mkdir(exist_ok=True)
    wanted = set()
    for name, (width, height, background) in sorted(found.items()):
        file = out / image_file_name(name)
        wanted.add(file.name)
        picture = chart(name, width, height, background)
        if width == 960:  # the legacy by-URL images: PNG bytes under the service's .jpeg name
            picture.save(file, format="PNG", optimize=True)
        else:
            picture.save(file, format="JPEG", quality=82, optimize=True, progressive=True)
    for stale in out.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    print(f"{len(wanted)} images in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
