"""Certificate rendering throughput and PDF size.

    python bench/certificates_render.py [--count 1000] [--processes 2] [--template director]

Per-core rate: one process signs and renders certificates one after another; the rate is
given per CPU-second (what one core does, whatever else runs on the machine) and per
wall-clock second (what this run saw). Variants, in
the same run, so the figures can be judged against each other:
  full         the shipped template: embedded CJK subset font, QR, frame, seal, signing
               the QR token (Ed25519) included; what a cohort prints alike is copied from
               the cohort layer recorded once (lms/certificates/layers.py)
  no layer     the same, every element drawn into each page (the reference the layer
               must match pixel for pixel)
  no QR        the same template without the QR element (no token, no QR encoding)
  plain floor  ReportLab alone: the same number of strings at the same places in
               Helvetica (not embedded), no frame, seal or QR, i.e. the cheapest PDF page
Cohort: `--count` certificates rendered by a pool of `--processes` worker processes, wall
time measured from submitting the first to receiving the last (pool start-up excluded,
template and font loading included once per worker).
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from dataclasses import replace
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.render import render_certificate
from lms.certificates.samples import sample_data
from lms.certificates.templates import fill, load_template

_worker: dict = {}


def _init_worker(template_name: str) -> None:
    _worker["template"] = load_template(template_name)
    _worker["key"] = Ed25519PrivateKey.generate()


def _issue(index: int) -> tuple[int, float]:
    """Sign the token and render one certificate; return the PDF size and the CPU time."""
    start = time.process_time()
    data = sample_data(index, private_key=_worker["key"])
    size = len(render_certificate(_worker["template"], data))
    return size, time.process_time() - start


def _plain_page(template, data) -> bytes:
    values = data.values()
    buffer = io.BytesIO()
    width, height = template.page_mm
    canvas = Canvas(buffer, pagesize=(width * 2.8346, height * 2.8346), invariant=1, pageCompression=1)
    canvas.setFont("Helvetica", 11)
    for element in template.elements:
        if "text" in element.options and "x" in element.options:
            text = "".join(c if c.isascii() else "x" for c in fill(str(element["text"]), values))
            canvas.drawString(element["x"] * 2.8346, (height - element["y"]) * 2.8346, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def per_core(template_name: str, count: int) -> list[tuple[str, float, float, list[int]]]:
    """Per variant: certificates per CPU-second, per wall-clock second, and the PDF sizes."""
    template = load_template(template_name)
    no_qr = replace(template, elements=tuple(e for e in template.elements if e.kind != "qr"))
    key = Ed25519PrivateKey.generate()
    samples = [sample_data(i) for i in range(count)]
    render_certificate(template, samples[0])  # font parsing and caches: once per process
    variants = (
        ("full (CJK font + QR + signing)",
         lambda i: render_certificate(template, sample_data(i, private_key=key))),
        ("full, every element drawn into the page (no cohort layer)",
         lambda i: render_certificate(template, sample_data(i, private_key=key), cohort_layer=False)),
        ("no QR (CJK font, no token)", lambda i: render_certificate(no_qr, samples[i])),
        ("plain floor (Helvetica, no frame/seal/QR)", lambda i: _plain_page(template, samples[i])),
    )
    results = []
    for label, make in variants:
        start, cpu_start = time.perf_counter(), time.process_time()
        sizes = [len(make(i)) for i in range(count)]
        results.append((label, count / (time.process_time() - cpu_start),
                        count / (time.perf_counter() - start), sizes))
    return results


def cohort(template_name: str, count: int, processes: int) -> tuple[float, float, list[int]]:
    with Pool(processes, initializer=_init_worker, initargs=(template_name,)) as pool:
        pool.map(_issue, range(processes), chunksize=1)  # workers started and warmed
        start = time.perf_counter()
        results = pool.map(_issue, range(count), chunksize=25)
        wall = time.perf_counter() - start
    return wall, sum(cpu for _size, cpu in results), [size for size, _cpu in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--per-core-count", type=int, default=300)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--template", default="director")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"\n| variant ({args.template}, {args.per_core_count} certificates, 1 process) "
          "| per CPU-second | CPU ms each | per wall second | PDF size avg (max) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, cpu_rate, wall_rate, sizes in per_core(args.template, args.per_core_count):
        print(f"| {label} | {cpu_rate:.0f} | {1000 / cpu_rate:.1f} | {wall_rate:.0f} | "
              f"{statistics.mean(sizes) / 1024:.1f} KB ({max(sizes) / 1024:.1f} KB) |")

    seconds, cpu, sizes = cohort(args.template, args.count, args.processes)
    print(f"\ncohort: {args.count} certificates, {args.processes} processes: {seconds:.2f} s wall "
          f"({args.count / seconds:.0f} certificates/s); {cpu:.2f} CPU-seconds in the workers "
          f"({args.count / cpu:.0f} certificates per CPU-second); PDF size avg "
          f"{statistics.mean(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
