"""`flask lms report summary --region CODE --year YYYY -o FILE.xlsx` (the yearly statistics
workbook), `flask lms report seed-targets` (the seeds' targets), `flask lms report rebuild`
(the stored facts rewritten from the records) and `flask lms report refresh` (the stale ones)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.cli import subgroup
from lms.core.errors import AppError
from lms.extensions import db
from lms.orgs.models import Region
from lms.reports import facts, services, workbook

report_group = subgroup("report", help="报表导出")


@report_group.command("summary")
@click.option("--region", "region_code", default="", help="region code, e.g. 210000; empty: every region")
@click.option("--year", default=None, help="the year (default: this year)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def summary_command(region_code: str, year: str | None, output: Path) -> None:
    """Write the yearly statistics workbook of a region."""
    region = None
    if region_code:
        region = db.session.scalar(db.select(Region).where(Region.code == region_code))
        if region is None:
            raise click.ClickException(f"unknown region code: {region_code}")
    try:
        _name, data = workbook.summary_workbook(region, services.parse_year(year))
    except AppError as error:
        raise click.ClickException(str(error.message)) from None
    output.write_bytes(data)
    click.echo(f"{output} ({len(data)} bytes)")


@report_group.command("seed-targets")
@with_appcontext
def seed_targets_command() -> None:
    """Add the targets the policies set (Shanghai, Liaoning, Zhejiang) when missing."""
    added = services.seed_targets()
    db.session.commit()
    click.echo(f"{added} target(s) added")


@report_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Rewrite the reports' stored facts from the records (after loading data with plain SQL)."""
    import time

    started = time.monotonic()
    stored = facts.rebuild()
    db.session.commit()
    click.echo(f"{stored} facts stored in {time.monotonic() - started:.1f} s")


@report_group.command("refresh")
@with_appcontext
def refresh_command() -> None:
    """Rewrite the facts of the people whose records changed since (nightly: lms-report-refresh.timer)."""
    people = facts.ensure_fresh()
    db.session.commit()
    click.echo(f"facts of {people} people rewritten")
