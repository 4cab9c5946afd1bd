"""How lms/ce/sample/lesson.webm was made (run by hand; the file is committed, 24 s, ~100 KB):

    pip install --target /tmp/iff imageio-ffmpeg     # an ffmpeg binary from PyPI, not a project dependency
    PYTHONPATH=/tmp/iff python lms/ce/sample/make_video.py lms/ce/sample/lesson.webm

Frames are drawn with Pillow (a title slide, a seconds counter and a progress bar, in the
certificates' CJK font) and encoded as VP9 WebM at a low bit rate.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT, FPS, SECONDS = 320, 180, 10, 24
FONT = Path(__file__).resolve().parents[3] / "certificate_templates" / "fonts" / "wqy-microhei.ttc"


def frame(n: int) -> bytes:
    t = n / FPS
    image = Image.new("RGB", (WIDTH, HEIGHT), (29, 79, 145))
    draw = ImageDraw.Draw(image)
    big, small = ImageFont.truetype(str(FONT), 22), ImageFont.truetype(str(FONT), 14)
    draw.text((WIDTH / 2, 52), "标准云课堂 · 示例课时", font=big, fill="white", anchor="mm")
    draw.text((WIDTH / 2, 86), "企业标准体系的构建", font=small, fill=(220, 230, 245), anchor="mm")
    draw.text((WIDTH / 2, 118), f"{int(t):02d} / {SECONDS} s", font=small, fill="white", anchor="mm")
    draw.rectangle((20, 150, WIDTH - 20, 160), outline="white")
    draw.rectangle((20, 150, 20 + (WIDTH - 40) * t / SECONDS, 160), fill="white")
    return image.tobytes()


def main(out: str) -> None:
    from imageio_ffmpeg import get_ffmpeg_exe

    encoder = subprocess.Popen(  # noqa: S603 - fixed argv, no user input
        [get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-", "-c:v", "libvpx-vp9", "-b:v", "30k",
         "-pix_fmt", "yuv420p", "-g", str(FPS * 4), "-an", out], stdin=subprocess.PIPE)
    for n in range(FPS * SECONDS):
        encoder.stdin.write(frame(n))
    encoder.stdin.close()
    sys.exit(encoder.wait())


if __name__ == "__main__":
    main(sys.argv[1])
