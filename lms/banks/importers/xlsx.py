"""The Excel template (`.xlsx`) with Chinese headers: sheets 题库, 分类 and 试题.

Answers per type: 单选 `B`; 多选 `A,C` (or `AC`); 判断 `正确`/`错误`; 填空 one entry per
blank separated by `；`, alternatives by `|`; 论述 a reference answer, with 评分细则 as
lines `要点：分值`. Errors name the sheet, row and column. The sheet and column names are the
format's own (Chinese in every language), so a message quotes them as the file has them.

Uploads are opened with lms.core.xlsx.open_workbook (zip bombs and XML entities refused
before openpyxl reads anything); the template is written with append_rows (text as text).
"""
from __future__ import annotations

import io
import re
import warnings
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lms.banks.enums import BankFormat, Difficulty
from lms.banks.importers.parsed import DEFAULT_CATEGORY, MAX_CODE, MAX_QUESTIONS, ParsedBank, ParsedCategory, \
    ParsedQuestion, apply_defaults
from lms.banks.types.base import shown
from lms.core.xlsx import NotAWorkbook, append_rows, open_workbook

QUESTION_SHEET, CATEGORY_SHEET, BANK_SHEET, HELP_SHEET = "试题", "分类", "题库", "说明"
OPTION_KEYS = "ABCDEFGH"
QUESTION_HEADERS = (["题号", "分类", "题型", "难度", "分值", "题干"] + [f"选项{k}" for k in OPTION_KEYS]
                    + ["答案", "解析", "出处", "标签", "评分细则"])
HEADER_FIELDS = {"题号": "id", "分类": "category", "题型": "type", "难度": "difficulty", "分值": "points",
                 "题干": "stem", "答案": "answer", "解析": "explanation", "出处": "source", "标签": "tags",
                 "评分细则": "rubric"} | {f"选项{k}": f"option:{k}" for k in OPTION_KEYS}
REQUIRED = ("题型", "题干", "答案")
TYPE_NAMES = {"单选": "single", "单选题": "single", "single": "single", "多选": "multiple", "多选题": "multiple",
              "multiple": "multiple", "判断": "truefalse", "判断题": "truefalse", "truefalse": "truefalse",
              "填空": "fill", "填空题": "fill", "fill": "fill", "论述": "essay", "论述题": "essay",
              "简答": "essay", "简答题": "essay", "essay": "essay"}
TRUE_WORDS = {"正确": True, "对": True, "是": True, "√": True, "true": True, "t": True,
              "错误": False, "错": False, "否": False, "×": False, "false": False, "f": False}
MAX_ROWS = MAX_QUESTIONS  # rows read per sheet, after the header
LIST_SPLIT = re.compile(r"[,，、;；\s]+")


def _where(source: str, sheet: str, row: int, column: int | None = None, header: str | None = None) -> Any:
    if column is None:
        return _l("%(file)s 工作表“%(sheet)s”第 %(row)s 行", file=source, sheet=sheet, row=row)
    return _l("%(file)s 工作表“%(sheet)s”第 %(row)s 行 %(column)s 列（%(header)s）", file=source, sheet=sheet,
              row=row, column=get_column_letter(column), header=header)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def number_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse(name: str, raw: bytes, **options) -> ParsedBank:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it drops; not the user's problem
        return _parse(name, raw, **options)


def _parse(name: str, raw: bytes, *, bank_code: str | None = None, category_code: str | None = None,
           **_options) -> ParsedBank:
    bank = ParsedBank(source=name, format=BankFormat.XLSX, code=bank_code)
    try:
        workbook = open_workbook(raw, name)
    except NotAWorkbook as refused:
        bank.problem(name, refused.message)
        return bank
    try:
        sheets = {sheet.title: sheet for sheet in workbook.worksheets}
        if BANK_SHEET in sheets:
            _bank_sheet(bank, sheets[BANK_SHEET])
        if CATEGORY_SHEET in sheets:
            _category_sheet(bank, sheets[CATEGORY_SHEET])
        if QUESTION_SHEET not in sheets:
            bank.problem(name, _l("缺少工作表“%(sheet)s”（请使用下载的模板）", sheet=QUESTION_SHEET))
        else:
            _question_sheet(bank, sheets[QUESTION_SHEET], category_code)
    except Exception as error:  # a malformed sheet part: report, never crash the import
        bank.problem(name, _l("无法读取工作表：%(error)s", error=type(error).__name__))
    finally:
        workbook.close()
    return bank


def _rows(bank: ParsedBank, sheet):
    """(row number, values) of the header and the first MAX_ROWS rows; a row past them is a problem."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number > MAX_ROWS + 1:
            bank.problem(_where(bank.source, sheet.title, number),
                         _l("工作表超过 %(max)s 行，请拆分文件", max=MAX_ROWS))
            return
        yield number, list(row)


def _bank_sheet(bank: ParsedBank, sheet) -> None:
    for number, row in _rows(bank, sheet):
        key, value = (_text(row[0]) if row else None), (row[1] if len(row) > 1 else None)
        if key == "题库代码" and not bank.code:
            bank.code = _text(value)
        elif key == "题库名称":
            bank.title = _text(value)
        elif key == "版本" and value is not None:
            version = number_value(value)
            if isinstance(version, int) and version >= 1:
                bank.version = version
            else:
                bank.problem(_where(bank.source, BANK_SHEET, number, 2, "值"), _l("版本应为正整数"))


def _category_sheet(bank: ParsedBank, sheet) -> None:
    for number, row in _rows(bank, sheet):
        if number == 1:
            continue
        code = _text(row[0]) if row else None
        title = _text(row[1]) if len(row) > 1 else None
        module = _text(row[2]) if len(row) > 2 else None
        if code is None and title is None:
            continue
        where = _where(bank.source, CATEGORY_SHEET, number)
        if not code or len(code) > MAX_CODE:
            bank.problem(where, _l("分类代码应为不超过 %(max)s 字的文本", max=MAX_CODE))
        elif not title:
            bank.problem(where, _l("分类 %(code)s 缺少名称", code=shown(code, quote=False)))
        else:
            bank.add_category(ParsedCategory(code, title, module, where))


def _question_sheet(bank: ParsedBank, sheet, category_code: str | None) -> None:
    columns: dict[str, int] = {}
    for number, row in _rows(bank, sheet):
        if number == 1:
            for index, cell in enumerate(row, 1):
                header = (_text(cell) or "").replace("*", "").strip()
                if not header:
                    continue
                if header not in HEADER_FIELDS:
                    bank.problem(_where(bank.source, QUESTION_SHEET, 1, index, shown(header, quote=False)),
                                 _l("未知的列名"))
                columns[header] = index
            if missing := [h for h in REQUIRED if h not in columns]:
                bank.problem(_where(bank.source, QUESTION_SHEET, 1),
                             _l("缺少列：%(columns)s", columns="、".join(missing)))
                return
            continue
        values = {header: row[index - 1] if index - 1 < len(row) else None for header, index in columns.items()}
        if all(_text(v) is None for v in values.values()):
            continue
        if not bank.add_question(_question(bank, number, values, columns, category_code)):
            return


def _question(bank: ParsedBank, number: int, values: dict, columns: dict, category_code) -> ParsedQuestion:
    located = {HEADER_FIELDS[h]: _where(bank.source, QUESTION_SHEET, number, i, h) for h, i in columns.items()
               if h in HEADER_FIELDS}
    for key in OPTION_KEYS:
        if f"option:{key}" in located:
            located.setdefault("options", located[f"option:{key}"])
    raw_type = _text(values.get("题型")) or ""
    kind = TYPE_NAMES.get(raw_type.lower(), raw_type)
    content: dict[str, Any] = {"type": kind, "stem": _text(values.get("题干")),
                               "difficulty": number_value(values.get("难度")),
                               "points": number_value(values.get("分值")),
                               "explanation": _text(values.get("解析")), "source": _text(values.get("出处"))}
    options = [{"key": k, "text": _text(values.get(f"选项{k}"))} for k in OPTION_KEYS
               if _text(values.get(f"选项{k}"))]
    if options:
        content["options"] = options
    if tags := _text(values.get("标签")):
        content["tags"] = [t for t in LIST_SPLIT.split(tags) if t]
    answer = values.get("答案")
    content["answer"] = answer_value(kind, answer)
    if rubric := _text(values.get("评分细则")):
        content["rubric"] = rubric_items(rubric)
    category = _text(values.get("分类")) or category_code
    where = _where(bank.source, QUESTION_SHEET, number)
    if category is None:
        category = DEFAULT_CATEGORY[0]
        bank.ensure_category(category, where, DEFAULT_CATEGORY[1])
    elif category_code and category == category_code:
        bank.ensure_category(category, where)
    question = ParsedQuestion(_text(values.get("题号")), category, content, where, located)
    apply_defaults(bank, question)
    return question


def answer_value(kind: str, value: Any) -> Any:
    text = _text(value)
    if isinstance(value, bool):
        return value if kind == "truefalse" else text
    if text is None:
        return None
    if kind == "single":
        return text.upper()
    if kind == "multiple":
        return [k for k in LIST_SPLIT.split(text.upper()) if k] if LIST_SPLIT.search(text) else list(text.upper())
    if kind == "truefalse":
        return TRUE_WORDS.get(text.lower(), text)
    if kind == "fill":
        blanks = [b.strip() for b in re.split(r"[;；\n]", text) if b.strip()]
        return [alts[0] if len(alts) == 1 else alts
                for alts in ([a.strip() for a in b.split("|") if a.strip()] for b in blanks)]
    return text


def rubric_items(text: str) -> list[dict[str, Any]]:
    items = []
    for line in text.splitlines():  # criteria may contain ；, so one item per line
        line = line.strip()
        if not line:
            continue
        cut = max(line.rfind(":"), line.rfind("："))
        if cut < 0:
            items.append({"criterion": line, "points": None})
        else:
            items.append({"criterion": line[:cut].strip(), "points": number_value(line[cut + 1:].strip())})
    return items


# ---- the template ----------------------------------------------------------------------

EXAMPLES = [
    ["EX-0001", "GEN", "单选", 1, 1, "根据《标准化法》，行业标准属于哪一类标准？", "强制性标准", "推荐性标准", "团体标准",
     "企业标准", None, None, None, None, "B", "第二条：行业标准、地方标准是推荐性标准。", "标准化法 第二条", "标准体系，推荐性标准", None],
    ["EX-0002", "GEN", "多选", 2, 2, "下列属于《标准化法》所称标准的有哪些？", "国家标准", "团体标准", "企业标准", "工作总结",
     None, None, None, None, "A,B,C", "第二条。", "标准化法 第二条", "标准体系", None],
    ["EX-0003", "GEN", "判断", 1, 1, "强制性标准必须执行。", None, None, None, None, None, None, None, None, "正确",
     "第二条第三款。", "标准化法 第二条", None, None],
    ["EX-0004", "GEN", "填空", 2, 2, "国家鼓励企业、____和教育、科研机构等开展或者参与____工作。", None, None, None, None,
     None, None, None, None, "社会团体|社团；标准化", "第七条。", "标准化法 第七条", None, None],
    ["EX-0005", "GEN", "论述", 4, 10, "请论述企业标准化总监的岗位职责。", None, None, None, None, None, None, None, None,
     "参考要点：战略规划、标准体系、监督检查……", "评分依据为指导意见二（一）3。", "上海市指导意见", None,
     "岗位定位：4\n职责要点：6"],
]

# The instructions sheet, in the language of whoever downloads the template (the sheet and
# column names it explains are the format's own, Chinese in every language).
HELP_LINES = [
    _l("题库导入模板使用说明"),
    _l("1. “题库”工作表：题库代码（英文字母、数字、连字符）、题库名称、版本（正整数）。"
       "导入时也可在页面上选择已有题库。"),
    _l("2. “分类”工作表：分类代码、分类名称、课程模块代码（可空）。"),
    _l("3. “试题”工作表每行一道题；题型为 单选 / 多选 / 判断 / 填空 / 论述；难度 1–5；分值为正数。"),
    _l("4. 答案：单选填选项字母（B）；多选填字母并用逗号分隔（A,C）；判断填 正确 或 错误；"
       "填空按空的顺序用“；”分隔，同一空的可接受答案用“|”分隔；论述填参考答案。"),
    _l("5. 填空题题干用四个半角下划线 ____ 标出每个空。"),
    _l("6. 论述题的评分细则每行一项“要点：分值”（单元格内换行：Alt+Enter），分值之和应等于题目分值。"),
    _l("7. 标签用逗号分隔。题号在题库内唯一；再次导入同一题号会生成新的修订版本，已用于考试的旧版本保持不变。"),
]


def build_template() -> bytes:
    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    help_sheet = workbook.active
    help_sheet.title = HELP_SHEET
    append_rows(help_sheet, ([str(line)] for line in HELP_LINES))
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 120
    bank_sheet = workbook.create_sheet(BANK_SHEET)
    append_rows(bank_sheet, (["项目", "值"], ["题库代码", "my-bank"], ["题库名称", "我的题库"], ["版本", 1]))
    category_sheet = workbook.create_sheet(CATEGORY_SHEET)
    append_rows(category_sheet, (["代码", "名称", "课程模块"], ["GEN", "总则", None]))
    sheet = workbook.create_sheet(QUESTION_SHEET)
    append_rows(sheet, [[f"{h}*" if h in REQUIRED else h for h in QUESTION_HEADERS], *EXAMPLES])
    for ws in (bank_sheet, category_sheet, sheet):
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
    widths = {"题干": 50, "答案": 20, "解析": 30, "出处": 20, "评分细则": 30}
    for index, header in enumerate(QUESTION_HEADERS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(header, 12)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    kinds = DataValidation(type="list", formula1='"单选,多选,判断,填空,论述"', allow_blank=True)
    levels = DataValidation(type="whole", operator="between", formula1=str(min(Difficulty).value),
                            formula2=str(max(Difficulty).value), allow_blank=True)
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(levels)
    kinds.add(f"C2:C{MAX_ROWS + 1}")
    levels.add(f"D2:D{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
