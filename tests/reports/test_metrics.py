"""Each metric on a small world built by hand (DESIGN §9, docs/statistics.md)."""
from __future__ import annotations

from datetime import date

from lms.extensions import db
from lms.reports import counting, services
from lms.reports.counting import count, rows
from lms.reports.metrics import Filters

END = date(2026, 12, 5)


def scope(world, key):
    return services.scope_of(world.regions[key])


def test_certified_people_counts_people_once_and_leaves_revoked_out(world):
    a, b, c = world.person("甲"), world.person("乙"), world.person("丙")
    first = world.certify(a, date(2023, 5, 1), enterprise="a1")
    world.certify(a, date(2024, 6, 1), supersedes=first)  # reissued: still one person, counted from 2023
    world.certify(a, date(2025, 1, 1), enterprise="a1", level="cso")  # a second programme: still one person
    world.certify(b, date(2024, 2, 1), enterprise="a1", status="revoked")
    old = world.certify(c, date(2020, 1, 1), enterprise="b1", valid_years=3)  # expired long ago: still trained
    assert old.status_on(END) == "expired"
    db.session.commit()
    sh = scope(world, "SH")
    assert count("certified_people", sh, END) == 2  # 甲 and 丙; 乙's is revoked
    assert count("certified_people", sh, date(2022, 12, 31)) == 1  # only 丙 by then
    assert count("certified_people", sh, date(2023, 12, 31), first=date(2023, 1, 1)) == 1  # 甲 new in 2023
    assert count("certified_people", sh, date(2024, 12, 31), first=date(2024, 1, 1)) == 0  # the reissue is not new
    assert count("certified_people", sh, END, filters=Filters(levels=("cso",))) == 1
    assert count("certified_people", sh, END, by="child", child_map=services.child_map(world.regions["SH"])) == {
        "R310105": 1, "R310106": 1}
    assert sorted(p for p, _d, _r in rows("certified_people", sh, END)) == sorted([a.id, c.id])


def test_a_revoked_new_version_takes_its_superseded_version_out_too(world):
    a = world.person()
    first = world.certify(a, date(2023, 5, 1), enterprise="a1")
    second = world.certify(a, date(2024, 5, 1), supersedes=first)
    second.status = "revoked"
    db.session.commit()
    assert count("certified_people", scope(world, "SH"), END) == 0


def test_a_person_who_changed_enterprise_counts_where_they_worked_at_issue(world):
    a = world.person()
    world.certify(a, date(2022, 5, 1), enterprise="a1")  # in 长宁 then
    world.certify(a, date(2025, 5, 1), enterprise="b1", level="cso")  # moved to 静安
    no_employer = world.person()
    world.certify(no_employer, date(2024, 1, 1), region="SH-B")  # no enterprise: the cohort's region
    db.session.commit()
    assert count("certified_people", scope(world, "SH-A"), END) == 1
    assert count("certified_people", scope(world, "SH-A"), date(2024, 12, 31)) == 1
    assert count("certified_people", scope(world, "SH-B"), date(2024, 12, 31)) == 1  # only the one without employer
    assert count("certified_people", scope(world, "SH-B"), END) == 2
    assert count("certified_people", scope(world, "SH"), END) == 2  # the province counts each person once


def test_people_figures_follow_the_enterprise_training_figures_the_organizer(world):
    """A Liaoning employee trained in Shanghai: Liaoning's certified people, Shanghai's person-times."""
    a = world.person()
    cohort = world.cohort("SH-A", date(2025, 3, 1))
    application = world.enroll(a, cohort, enterprise="sy")
    world.certify(a, date(2025, 4, 1), enterprise="sy", cohort=cohort, application=application)
    db.session.commit()
    assert count("certified_people", scope(world, "LN"), END) == 1
    assert count("certified_people", scope(world, "SH"), END) == 0
    assert count("trained_person_times", scope(world, "SH"), END) == 1
    assert count("trained_person_times", scope(world, "LN"), END) == 0


def test_trained_person_times_count_each_time(world):
    a, b = world.person(), world.person()
    c1, c2 = world.cohort("SH-A", date(2024, 3, 1)), world.cohort("SH-B", date(2025, 3, 1))
    world.enroll(a, c1)
    world.enroll(a, c2)  # the same person twice: two person-times
    world.enroll(b, c2, attended=False)  # admitted, never came: not trained
    world.enroll(b, c1, status="rejected")
    activity = world.ce_activity("SH-A", date(2025, 6, 1))
    world.attend_ce(a, activity)
    world.attend_ce(b, activity)
    db.session.commit()
    sh = scope(world, "SH")
    assert count("trained_person_times", sh, END) == 4
    assert count("trained_person_times", sh, date(2025, 12, 31), first=date(2025, 1, 1)) == 3
    assert count("applications", sh, END) == 4
    assert count("admitted", sh, END) == 3
    assert count("trained_person_times", scope(world, "SH-B"), END) == 1
    assert len(rows("trained_person_times", sh, END)) == 4


def test_appointed_people_on_a_day(world):
    a, b = world.person(), world.person()
    world.appoint(a, "sy", date(2024, 1, 1), ended_on=date(2025, 6, 30))
    world.appoint(a, "sy", date(2025, 3, 1), post="ln-cso")  # overlapping: still one person
    world.appoint(b, "hp", date(2025, 1, 1), ended_on=date(2025, 2, 1))
    db.session.commit()
    ln = scope(world, "LN")
    assert count("appointed_people", ln, date(2025, 1, 15)) == 2
    assert count("appointed_people", ln, date(2025, 2, 1)) == 1  # b's ended that day
    assert count("appointed_people", ln, date(2023, 12, 31)) == 0
    assert count("appointed_people", ln, END) == 1
    assert count("appointed_people", ln, date(2025, 1, 15), filters=Filters(posts=("ln-cso",))) == 0
    assert count("appointed_people", ln, date(2025, 1, 15), by="post") == {"ln-director": 2}
    from lms.reports.counting import active_intervals
    changes = active_intervals("appointed_people", ln, END)
    running = sum(n for day, n in changes if day <= date(2025, 1, 15))
    assert running == 2


def test_filed_people_and_a_district_bureau_scope(world):
    a, b = world.person(), world.person()
    ca = world.certify(a, date(2024, 1, 1), region="LN-SY", enterprise="sy")
    cb = world.certify(b, date(2024, 1, 1), region="LN-SY", enterprise="hp")
    world.file(a, "sy", date(2025, 3, 1), ca)
    world.file(a, "sy", date(2025, 4, 1), ca, post="ln-cso")  # filed twice: one person
    world.file(b, "hp", date(2025, 5, 1), cb, post="ln-specialist")
    db.session.commit()
    assert count("filed_people", scope(world, "LN"), END) == 2
    assert count("filed_people", scope(world, "LN"), END, filters=Filters(posts=("ln-cso", "ln-director"))) == 1
    assert count("filed_people", scope(world, "LN-SY-HP"), END) == 1  # the district sees its enterprise's person only
    assert count("filed_people", scope(world, "LN"), END, by="industry") == {"C": 1, "G": 1}
    assert count("filed_people", scope(world, "LN"), END, by="ownership") == {"state": 1, "private": 1}


def test_ce_complete_people(world):
    a, b, c = world.person(), world.person(), world.person()
    for person in (a, b):
        world.certify(person, date(2024, 1, 1), enterprise="a1", ce_hours=12)
    world.certify(c, date(2024, 1, 1), enterprise="a1", ce_hours=0)  # no CE asked: never counted
    for day in (date(2025, 3, 1), date(2025, 9, 1)):
        activity = world.ce_activity("SH-B", day, hours=6)
        world.attend_ce(a, activity)
        world.attend_ce(c, activity)
    world.attend_ce(b, world.ce_activity("SH-B", date(2025, 3, 1), hours=6))
    db.session.commit()
    sh = scope(world, "SH")
    assert count("ce_complete_people", sh, date(2025, 12, 31)) == 1  # a: 12 of 12; b: 6 of 12
    assert count("ce_complete_people", sh, date(2025, 6, 30)) == 0  # by June a had 6
    assert count("ce_complete_people", sh, date(2026, 12, 5)) == 0  # a new year
    assert count("ce_complete_people", scope(world, "SH-B"), date(2025, 12, 31)) == 0  # placed by the certificate


def test_a_targets_chart_series_agrees_with_the_count_on_each_day(world):
    from lms.reports.models import Target

    for i, day in enumerate([date(2021, 3, 1), date(2022, 7, 1), date(2023, 1, 1), date(2025, 11, 30)]):
        person = world.person()
        world.certify(person, day, enterprise="a1" if i % 2 else "b1")
        world.enroll(person, world.cohort("SH-B", day))
    world.appoint(world.person(), "a1", date(2022, 1, 1), ended_on=date(2024, 1, 1))
    for metric in ("certified_people", "trained_person_times", "appointed_people"):
        target = Target(region=world.regions["SH"], metric=metric, filters={}, title="t", value=3,
                        starts_on=date(2022, 1, 1), deadline=date(2025, 12, 31))
        db.session.add(target)
        db.session.flush()
        days = [date(2021, 12, 31), date(2022, 8, 1), date(2023, 6, 1), date(2025, 12, 31), END]
        assert services.series(target, days) == {day: services.target_value(target, day) for day in days}
    progress = services.progress(target, END)
    assert progress.status == "missed" and progress.at_deadline == 0 and progress.difference == -3


def test_figures_by_period_are_the_counts_of_each_period(world):
    from lms.reports.counting import by_periods
    from lms.reports.metrics import METRICS

    for i, day in enumerate([date(2023, 3, 1), date(2024, 7, 1), date(2024, 12, 31), date(2025, 1, 1)]):
        person = world.person()
        certificate = world.certify(person, day, enterprise="a1" if i % 2 else "b1")
        world.enroll(person, world.cohort("SH-B", day))
        world.appoint(person, "a1", day, ended_on=date(2025, 6, 1) if i == 0 else None)
        world.file(person, "a1", day, certificate)
        world.attend_ce(person, world.ce_activity("SH-A", day, hours=12))
    db.session.commit()
    sh = scope(world, "SH")
    periods = [services.year_period(year, END) for year in (2023, 2024, 2025, 2026)]
    for key, m in METRICS.items():
        expected = [count(key, sh, last, None if m.kind in ("active", "year") else first) for first, last in periods]
        assert by_periods(key, sh, periods) == expected, key
    assert by_periods("certified_people", sh, periods) == [1, 2, 1, 0]


def test_figures_are_kept_for_reports_cache_seconds_when_asked(world, app):
    a = world.person()
    world.certify(a, date(2024, 1, 1), enterprise="a1")
    db.session.commit()
    sh = scope(world, "SH")
    assert count("certified_people", sh, END) == 1
    app.config["REPORTS_CACHE_SECONDS"] = 60
    try:
        assert count("certified_people", sh, END) == 1
        world.certify(world.person(), date(2024, 2, 1), enterprise="a1")
        db.session.commit()
        assert count("certified_people", sh, END) == 1  # kept
        assert count("certified_people", sh, date(2026, 12, 4)) == 2  # another question counts again
    finally:
        app.config["REPORTS_CACHE_SECONDS"] = 0
        counting._CACHE.clear()
    assert count("certified_people", sh, END) == 2  # 0: every call counts
