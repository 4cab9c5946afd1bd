"""`flask lms posts` (list) and `flask lms add-post`: posts are data, a region adds its own."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.appointments import services
from lms.core.errors import ValidationFailed
from lms.extensions import db
from lms.orgs.services import region_by_code


@click.command("posts")
@with_appcontext
def posts_command() -> None:
    """List the posts: code, title, region, qualifying program levels, usual count."""
    for post in services.all_posts():
        usual = post.usual_count or "-"
        click.echo(f"{post.code:<16} {post.title:<10} {post.region.code:<8} {','.join(post.levels):<26} {usual}")


@click.command("add-post")
@click.argument("code")
@click.argument("title")
@click.option("--region", "region_code", required=True, help="region code, e.g. 210000")
@click.option("--levels", required=True, help="qualifying program levels, comma separated: cso,director,specialist")
@click.option("--rank", default=1, show_default=True, help="order among the region's posts")
@click.option("--usual", "usual_count", type=int, default=None, help="how many an enterprise usually has")
@with_appcontext
def add_post_command(code: str, title: str, region_code: str, levels: str, rank: int, usual_count: int | None) -> None:
    """Add a post (or change the one with this code)."""
    data = {"code": code, "title": title, "region": region_by_code(region_code), "rank": rank,
            "levels": [level.strip() for level in levels.split(",") if level.strip()], "usual_count": usual_count}
    try:
        post = services.save_post(None, data, services.post_by_code(code))
    except ValidationFailed as error:
        for name, problem in error.fields.items():
            click.echo(f"{name}: {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"{post.code} {post.title} ({post.region.full_name})")
