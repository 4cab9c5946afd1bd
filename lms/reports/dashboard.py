"""The bureau's and the admin's home pages lead with the figures of their region, their targets
and the work waiting for them (filings to accept, CE claims to review)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext
from sqlalchemy import func, select

from lms.ce import people
from lms.dashboard import panel
from lms.extensions import db
from lms.reports import services
from lms.reports.counting import count
from lms.reports.metrics import METRICS
from lms.talent import services as talent

HOME_METRICS = ("certified_people", "trained_person_times", "appointed_people", "filed_people", "ce_complete_people")


def figures(user) -> dict | None:
    regions = services.home_regions(user)
    region = None if user.has_role("admin") else (regions[0] if regions else None)
    if region is None and not user.has_role("admin"):
        return None
    today = services.today()
    scope = services.scope_of(region)
    year_start = date(today.year, 1, 1)
    shown = []
    for key in HOME_METRICS:
        first = year_start if METRICS[key].kind == "each" else None
        shown.append((key, count(key, scope, today, first), first))
    progresses = [services.progress(t, today, with_points=False) for t in services.visible_targets(user)][:4]
    waiting = []
    filings = len(talent.awaiting_acceptance(user))
    if filings:
        waiting.append((gettext("待受理备案"), filings, url_for("talent.pool_page") + "#awaiting"))
    claims = db.session.scalar(select(func.count()).select_from(people.claims_to_review(user).subquery())) or 0
    if claims:
        waiting.append((gettext("待审核学时申报"), claims, url_for("ce.claim_queue")))
    return {"region_name": services.region_label(region), "code": region.code if region else "", "figures": shown,
            "metrics": METRICS, "progresses": progresses, "labels": services.STATUS_LABELS, "today": today,
            "waiting": waiting}


panel("bureau", "reports/panels/figures.html", order=1)(figures)
panel("admin", "reports/panels/figures.html", order=1)(figures)
