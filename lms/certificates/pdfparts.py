"""Small PDF objects for ReportLab documents whose content was made once and is reused:
a value formatted already, and a stream compressed already."""
from __future__ import annotations

from reportlab.pdfbase import pdfdoc


class Formatted(pdfdoc.PDFObject):
    """A PDF value formatted once, written as is into later documents."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def formatted(value) -> Formatted:
    """`value` (a PDF dictionary or array of plain values, no references) formatted once."""
    return Formatted(pdfdoc.format(value, None))


def flate_stream(content: bytes, entries: dict | None = None) -> pdfdoc.PDFStream:
    """A stream whose content is zlib-compressed already ("Filter" tells ReportLab so)."""
    return pdfdoc.PDFStream(pdfdoc.PDFDictionary(
        {"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")]), **(entries or {})}), content)
