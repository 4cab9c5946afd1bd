"""`flask lms ce ...`: continuing-education commands (cron jobs and tools)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("ce", help="继续教育")
def ce_group() -> None:
    pass


@ce_group.command("remind")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按此日期执行（默认今天）")
@click.option("--force", is_flag=True, help="不是提醒日期也发送")
@with_appcontext
def remind_command(day, force: bool) -> None:
    """提醒继续教育学时未完成的持证人员（每天由 cron 运行；提醒日期见 CE_REMIND_DATES）。"""
    from lms.ce.reminders import is_reminder_date, remind
    from lms.enrollment.cohorts import local_today
    from lms.extensions import db

    on = day.date() if day else local_today()
    if not (force or is_reminder_date(on)):
        click.echo(f"{on}: not a reminder date (CE_REMIND_DATES); nothing sent")
        return
    sent, incomplete = remind(on, force)
    db.session.commit()
    click.echo(f"{on}: reminded {sent} of {incomplete} people whose {on.year} CE hours are incomplete")


@click.command("renew-certificates")
@click.option("--due-within", "days", type=click.IntRange(0, 3650), required=True,
              help="续期有效期在此天数内届满（或已届满）的有效证书")
@click.option("--dry-run", is_flag=True, help="只列出能否续期，不改动")
@with_appcontext
def renew_certificates_command(days: int, dry_run: bool) -> None:
    """续期将届满的合格证（新版本）：证书有效期内各年度继续教育学时均已完成的才续期，否则列出所缺年度与学时。"""
    from lms.ce import renewal
    from lms.core import jobs
    from lms.extensions import db
    from lms.web import error_text

    certificates = db.session.scalars(renewal.due(None, days)).all()
    if dry_run:
        for certificate in certificates:
            missing = renewal.missing_years(certificate)
            state = error_text(renewal.refusal(missing)) if missing else \
                f"would renew until {renewal.new_valid_until(certificate)}"
            click.echo(f"{certificate.cert_no}  valid until {certificate.valid_until}  {state}")
        click.echo(f"{len(certificates)} certificate(s) due within {days} days; nothing changed (--dry-run)")
        return
    job = jobs.create(None, renewal.JOB_KIND, {"certificate_ids": [c.id for c in certificates]}, len(certificates))
    db.session.commit()
    with click.progressbar(length=len(certificates), label="renewing") as bar:
        seen = [0]

        def advance(current: jobs.Job) -> None:
            bar.update(current.done - seen[0])
            seen[0] = current.done

        job = jobs.run(job.id, advance)
    renewed = job.done - len(job.failures or [])
    click.echo(f"renewed {renewed} of {len(certificates)} certificate(s) due within {days} days")
    for failure in job.failures or []:
        click.echo(f"  not renewed: {failure['item']}: {failure['reason']}")
    if job.failures or job.status == "failed":
        raise SystemExit(2)
