"""`flask lms report filings --region CODE -o FILE.xlsx`: the 汇总表 from the command line."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.cli import subgroup
from lms.core.errors import AppError
from lms.talent import summary

report_group = subgroup("report", help="报表导出")


@report_group.command("filings")
@click.option("--region", "region_code", required=True, help="region code of the filing bureau, e.g. 210100")
@click.option("--year", type=int, default=None, help="only filings accepted in this year")
@click.option("--contact", default="", help="contact person printed in the header")
@click.option("--phone", default="", help="contact phone printed in the header")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def filings_command(region_code: str, year: int | None, contact: str, phone: str, output: Path) -> None:
    """Write the summary table (汇总表) of the accepted filings of a region."""
    try:
        _name, data = summary.summary_workbook(None, region_code, year, summary.Contact(contact, phone))
    except AppError as error:
        raise click.ClickException(str(error.message)) from None
    output.write_bytes(data)
    click.echo(f"{output} ({len(data)} bytes)")
