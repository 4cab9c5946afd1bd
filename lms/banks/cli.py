"""`flask lms import-bank` and `flask lms export-bank`. Reports print in the default language
(DEFAULT_LOCALE): a command has no reader to ask."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.banks.enums import EXPORTABLE, BankFormat
from lms.cli import lms_group
from lms.extensions import db


def print_report(report) -> None:
    for file_report in report.files:
        click.echo(_("== %(file)s [%(format)s] → 题库 %(bank)s", file=file_report.name,
                     format=file_report.format or "?", bank=file_report.bank_code or "?"))
        click.echo("   " + _("新增 %(added)s  修改 %(changed)s  未变 %(unchanged)s  拒绝 %(rejected)s  "
                             "错误 %(errors)s  提示 %(warnings)s", added=len(file_report.added),
                             changed=len(file_report.changed), unchanged=len(file_report.unchanged),
                             rejected=len(file_report.rejected), errors=file_report.error_count,
                             warnings=len(file_report.warnings)))
        for changed in file_report.changed:
            click.echo("   " + _("修改：%(id)s", id=changed))
        if file_report.excludes_changed and file_report.parsed is not None:
            click.echo("   " + _("互斥组（excludes）：改为文件中的 %(n)s 组", n=len(file_report.parsed.excludes or [])))
        for warning in file_report.warnings:
            click.echo("   " + _("提示：%(warning)s", warning=warning))
        for error in file_report.errors:
            click.echo("   " + _("错误：%(error)s", error=error), err=True)
        if file_report.errors_left_off:
            click.echo("   " + ngettext("另有 %(num)d 个错误未列出", "另有 %(num)d 个错误未列出",
                                        file_report.errors_left_off), err=True)
    total = report.error_count
    if report.dry_run:
        click.echo(ngettext("试运行：%(num)d 个错误；未写入任何数据。", "试运行：%(num)d 个错误；未写入任何数据。",
                            total))
    elif report.applied:
        click.echo(_("导入完成。"))
    else:
        click.echo(ngettext("%(num)d 个错误：全部文件均未导入。", "%(num)d 个错误：全部文件均未导入。", total),
                   err=True)


@lms_group.command("import-bank")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只校验并报告，不写入")
@click.option("--bank", "bank_code", help="目标题库代码（GIFT、Aiken、Excel 文件需要）")
@click.option("--category", "category_code", help="默认分类代码（GIFT 的 $CATEGORY: 优先）")
@click.option("--institution", "institution_code", help="新建题库的所属机构代码（缺省为共享题库）")
@with_appcontext
def import_bank(paths: tuple[Path, ...], dry_run: bool, bank_code: str | None, category_code: str | None,
                institution_code: str | None) -> None:
    """Import question bank files (.yaml/.yml, .gift/.gift.txt, .aiken.txt, .xlsx); all or nothing."""
    from sqlalchemy import select

    from lms.banks.imports import import_files
    from lms.orgs.models import Institution

    owner_id = None
    if institution_code:
        owner_id = db.session.scalar(select(Institution.id).where(Institution.code == institution_code))
        if owner_id is None:
            click.echo(_("机构 %(code)s 不存在", code=institution_code), err=True)
            sys.exit(1)
    files = [(path.name, path.read_bytes()) for path in paths]
    report = import_files(None, files, dry_run=dry_run, bank_code=bank_code, category_code=category_code,
                          owner_institution_id=owner_id)
    print_report(report)
    if not report.ok:
        db.session.rollback()
        sys.exit(1)
    db.session.commit()


@lms_group.command("export-bank")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice([f.value for f in EXPORTABLE]), default=EXPORTABLE[0].value,
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（缺省为标准输出）")
@with_appcontext
def export_bank(code: str, fmt: str, output: Path | None) -> None:
    """Export a question bank as YAML or GIFT."""
    from lms.banks.exporters import EXPORTERS
    from lms.banks.services import bank_by_code

    bank = bank_by_code(code)
    if bank is None:
        click.echo(_("题库 %(code)s 不存在", code=code), err=True)
        sys.exit(1)
    text = EXPORTERS[BankFormat(fmt)][0](bank)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(_("已导出到 %(path)s", path=str(output)))
    else:
        click.echo(text, nl=False)
