"""`flask lms verify-token` and `flask lms rotate-cert-key`."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext

from lms.certificates.signing import KeyStore, TokenInvalid, attach, is_detached, qr_claims, verify_token


@click.command("verify-token")
@click.argument("token")
@click.option("--jwks", "jwks_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="公钥集文件（/.well-known/jwks.json 的内容）；给出时只读此文件，不访问数据库或网络")
@click.option("--no", "cert_no", help="证书编号（给出整个二维码链接时从链接中读取）")
@click.option("--name", "holder_name", help="证书上印的持证人姓名（新格式二维码需要）")
@click.option("--issued", "issued_on", type=click.DateTime(["%Y-%m-%d"]), help="发证日期 YYYY-MM-DD（新格式二维码需要）")
@click.option("--until", "valid_until", type=click.DateTime(["%Y-%m-%d"]), help="有效期至 YYYY-MM-DD（新格式二维码需要）")
@with_appcontext
def verify_token_command(token: str, jwks_file: Path | None, cert_no: str | None, holder_name: str | None,
                         issued_on, valid_until) -> None:
    """Check a certificate QR token's signature; print its claims and VALID or INVALID.

    TOKEN may also be the whole verification URL from the QR code. A token of the current
    format (header..signature) signs what is printed on the certificate: give --name,
    --issued and --until as printed (and --no unless TOKEN is the whole URL).
    """
    if "?t=" in token:
        address, token = token.split("?t=", 1)
        token = token.split("&", 1)[0]
        cert_no = cert_no or address.rsplit("/verify/", 1)[-1]
    if jwks_file is not None:
        try:
            keys = json.loads(jwks_file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            keys = None
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            click.echo("INVALID: " + gettext("%(file)s 不是有效的 JSON 公钥集（应为含 keys 列表的 JSON 对象）",
                                             file=jwks_file), err=True)
            raise SystemExit(1)
    else:
        keys = KeyStore.for_app(current_app).jwks()
    if is_detached(token):
        if not (cert_no and holder_name and issued_on and valid_until):
            click.echo("INVALID: " + gettext("该令牌不含证书信息：请按证书上所印给出 --no、--name、--issued 和 --until"),
                       err=True)
            raise SystemExit(1)
        token = attach(token, qr_claims(cert_no=cert_no.strip(), holder_name=holder_name.strip(),
                                        issue_date=issued_on.date(), valid_until=valid_until.date()))
    try:
        claims = verify_token(token, keys)
    except TokenInvalid as error:
        click.echo(f"INVALID: {error}")
        raise SystemExit(1) from None
    click.echo(json.dumps(claims, ensure_ascii=False, indent=2))
    click.echo("VALID")


@click.command("rotate-cert-key")
@with_appcontext
def rotate_cert_key_command() -> None:
    """Start signing with a new key; the old public key stays published."""
    store = KeyStore.for_app(current_app)
    click.echo(gettext("新的签名密钥 %(kid)s 已启用；旧公钥仍在 /.well-known/jwks.json 中发布。", kid=store.rotate()))


@click.command("preview-certificate")
@click.argument("output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--template", "template_name", default="director", show_default=True,
              help="certificate_templates/ 下的模板名")
@with_appcontext
def preview_certificate_command(output: Path, template_name: str) -> None:
    """Render a template with sample data (and a real signed token) to a PDF file."""
    from lms.certificates.render import render_certificate
    from lms.certificates.samples import sample_data
    from lms.certificates.templates import TemplateError, load_template

    try:
        template = load_template(template_name)
    except TemplateError as error:
        click.echo(gettext("模板错误：%(error)s", error=error), err=True)
        raise SystemExit(1) from None
    store = KeyStore.for_app(current_app)
    data = sample_data(private_key=store.signing_key(), base_url=current_app.config["PUBLIC_BASE_URL"])
    output.write_bytes(render_certificate(template, data))
    click.echo(f"{output}: {data.cert_no}")


@click.command("issue-certificates")
@click.option("--cohort", "cohort_code", required=True, help="班次编号")
@with_appcontext
def issue_certificates_command(cohort_code: str) -> None:
    """Issue the certificates of a cohort (the batch job, run here) with a progress bar."""
    from lms.certificates import batch
    from lms.core import jobs
    from lms.enrollment.attendance import enrolled_in
    from lms.enrollment.cohorts import cohort_by_code
    from lms.extensions import db

    cohort = cohort_by_code(cohort_code.strip())
    if cohort is None:
        click.echo(gettext("没有编号为 %(code)s 的班次", code=cohort_code), err=True)
        raise SystemExit(1)
    job = jobs.create(None, batch.KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code},
                      len(enrolled_in(cohort.id)))
    db.session.commit()
    with click.progressbar(length=job.total, label=gettext("颁发 %(code)s", code=cohort.code), show_pos=True) as bar:
        seen = [0]

        def advance(current: jobs.Job) -> None:
            bar.update(current.done - seen[0])
            seen[0] = current.done

        job = jobs.run(job.id, advance)
    for failure in job.failures or []:
        click.echo(gettext("未颁发：%(item)s：%(reason)s", item=failure["item"], reason=failure["reason"]), err=True)
    if job.status != "done":
        click.echo(gettext("任务失败：%(message)s", message=job.message), err=True)
        raise SystemExit(1)
    issued = job.total - len(job.failures or [])
    click.echo(gettext("完成：%(issued)s / %(total)s 人有合格证；全部 PDF：%(path)s", issued=issued, total=job.total,
                       path=f"{current_app.instance_path}/{job.result_path}"))
    if job.failures:
        raise SystemExit(2)
