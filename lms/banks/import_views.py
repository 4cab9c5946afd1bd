"""Import (dry run, then confirm), the Excel template and exports."""
from __future__ import annotations

import base64
import binascii
import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.banks import bp, services
from lms.banks.enums import EXPORTABLE, BankFormat
from lms.banks.exporters import EXPORTERS
from lms.banks.forms import ImportForm, choices
from lms.banks.importers import accepted_suffixes
from lms.banks.importers.xlsx import build_template
from lms.banks.imports import DEFAULT_MAX_BYTES, import_files
from lms.banks.views import banks_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_bytes() -> int:
    return current_app.config.get("BANK_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES


def _read_uploads(form: ImportForm) -> tuple[list[tuple[str, bytes]], list[str]]:
    files, errors = [], []
    limit = max_bytes()
    for upload in form.files.data or []:
        if not upload or not upload.filename:
            continue
        try:
            raw = upload.stream.read(limit + 1)
        finally:
            upload.close()  # large uploads are spooled to a temporary file
        if len(raw) > limit:
            errors.append(_("%(name)s：文件超过 %(mb)s MB 上限", name=upload.filename, mb=f"{limit / 1048576:g}"))
            continue
        files.append((upload.filename, raw))
    return files, errors


# The dry run's files travel back with the confirm form (no server-side state between the
# two requests); the confirm is validated again from scratch, so the payload needs no signature.
# The confirm form is url-encoded on purpose: Flask's 500 kB per-field limit applies only to
# multipart fields, while the whole request stays under MAX_CONTENT_LENGTH.
def _pack(files: list[tuple[str, bytes]]) -> str:
    return json.dumps([[name, base64.b64encode(raw).decode()] for name, raw in files])


def _unpack(payload: str) -> list[tuple[str, bytes]] | None:
    try:
        items = json.loads(payload)
        return [(str(name), base64.b64decode(data, validate=True)) for name, data in items]
    except (ValueError, TypeError, binascii.Error):
        return None


@bp.route("/banks/import", methods=["GET", "POST"])
@banks_page(write=True)
def import_page():
    """Upload → dry-run report → confirm. A report with errors answers 422 (nothing stored)."""
    form = ImportForm()
    form.bank_code.choices = choices([("", _("按文件中的题库代码"))] + [
        (b.code, f"{b.code} {b.title}") for b in services.manageable_banks(current_user)])
    report, upload_errors, payload = None, [], ""
    if request.method == "POST" and form.validate_on_submit():
        confirm = request.form.get("action") == "confirm"
        if confirm:
            files = _unpack(form.payload.data or "")
            if files is None:
                upload_errors.append(_("导入数据无效，请重新上传文件"))
        else:
            files, upload_errors = _read_uploads(form)
            if not files and not upload_errors:
                upload_errors.append(_("请选择要导入的文件"))
        if files and not upload_errors:
            report = import_files(current_user, files, dry_run=not confirm, bank_code=form.bank_code.data or None,
                                  category_code=(form.category.data or "").strip() or None,
                                  owner_institution_id=services.new_bank_owner(current_user),
                                  max_bytes=max_bytes())
            if report.applied:
                flash(_("导入完成：新增 %(a)s 题，修改 %(c)s 题",
                        a=sum(len(f.added) for f in report.files), c=sum(len(f.changed) for f in report.files)),
                      "success")
                bank = services.bank_by_code(report.files[0].bank_code)
                return redirect(url_for("banks.bank", bank_id=bank.id))
            if report.ok:
                payload = _pack(files)
    refused = bool(upload_errors) or (report is not None and not report.ok)
    return render_template("banks/import.html", form=form, report=report, upload_errors=upload_errors,
                           payload=payload, suffixes=accepted_suffixes(),
                           limit_mb=f"{max_bytes() / 1048576:g}"), 422 if refused else 200


@bp.route("/banks/template.xlsx")
@banks_page()
def template():
    return Response(build_template(), mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": "attachment; filename=question-bank-template.xlsx"})


@bp.route("/banks/<int:bank_id>/export/<fmt>")
@banks_page()
def export(bank_id: int, fmt: str):
    bank = services.get_bank(current_user, bank_id)
    if BankFormat.get(fmt) not in EXPORTABLE:
        return redirect(url_for("banks.bank", bank_id=bank.id))
    export_fn, suffix = EXPORTERS[BankFormat(fmt)]
    return Response(export_fn(bank), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={bank.code}{suffix}"})
