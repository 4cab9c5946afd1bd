"""Excel workbooks in and out, one safe way for every domain.

Reading: an upload is a zip of XML parts; before openpyxl sees it, `open_workbook` refuses a
zip that inflates past MAX_UNZIPPED or holds too many parts (a 66 KB file can unzip to
gigabytes), and any XML part that declares a DTD or an entity (XXE, billion laughs).

Writing: openpyxl stores any text that begins with "=" as a formula, so a trainee named
"=HYPERLINK(...)" would be a live formula in a staff member's export; `append_rows` stores
text as text, always.
"""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from typing import Any
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from lms.core.errors import ValidationFailed

MAX_UNZIPPED = 20 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 200  # a genuine sheet compresses ~10:1; bombs do 1000:1
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class NotAWorkbook(ValidationFailed):
    code = "bad_workbook"


def check_archive(raw: bytes, field: str = "file") -> None:
    """Refuse (422, naming `field`) what is not a plain .xlsx of reasonable size."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if len(infos) > MAX_PARTS or total > MAX_UNZIPPED or total / packed > MAX_RATIO:
                raise NotAWorkbook(_l("文件解压后过大，拒绝读取"), {field: _l("文件解压后过大，拒绝读取")})
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as part:
                        if _DTD.search(part.read(info.file_size + 1)):
                            raise NotAWorkbook(_l("文件含有不允许的 XML 声明（DTD/实体），拒绝读取"),
                                               {field: _l("文件含有不允许的 XML 声明（DTD/实体），拒绝读取")})
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise NotAWorkbook(_l("不是有效的 Excel (.xlsx) 文件"), {field: _l("不是有效的 Excel (.xlsx) 文件")}) from None


def open_workbook(raw: bytes, field: str = "file") -> Workbook:
    """A read-only workbook (values, not formulas) of a checked upload; 422 naming `field` otherwise."""
    check_archive(raw, field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops; not the user's problem
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean "not a workbook"
        raise NotAWorkbook(_l("不是有效的 Excel (.xlsx) 文件"), {field: _l("不是有效的 Excel (.xlsx) 文件")}) from None


def append_rows(sheet, rows: Iterable[Iterable[Any]]) -> None:
    """Append rows to a writable sheet; every str is a text cell, never a formula."""
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
