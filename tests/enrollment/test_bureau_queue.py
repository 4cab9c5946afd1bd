"""The bureau-wide review queue (/staff/review): scope, filters, recommending from a row, refusals,
pagination, and the links from the bureau's home page and navigation."""
import re

import pytest
from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.enrollment import services
from lms.enrollment.models import Application
from lms.extensions import db


@pytest.fixture
def district(make_region):
    """A bureau scoped to a city; the cohorts it oversees are held in a district below it."""
    city = make_region(name="测试市", level="city")
    return make_region(name="测试区", parent=city)


def _names(html: str) -> list[str]:
    """Applicant names in table order (the first cell of each row links to the application)."""
    return re.findall(r'<td><a href="/staff/applications/\d+">([^<]+)</a></td>', html)


def test_bureau_sees_awaiting_applications_of_its_subtree_newest_first(
        client, login, make_region, make_cohort, make_user, make_trainee, make_application, district):
    inside, other_inside = make_cohort(region=district), make_cohort(region=district)
    outside = make_cohort(region=make_region(name="外区"))
    make_application(inside, make_trainee(name="甲学员"))
    make_application(outside, make_trainee(name="乙学员"))
    make_application(other_inside, make_trainee(name="丙学员"))
    decided = make_application(inside, make_trainee(name="丁学员"))
    services.decide(make_user("institution", scope=inside.institution), decided, "approve")
    db.session.commit()

    login(make_user("bureau", scope=district.parent))
    html = client.get("/staff/review").get_data(as_text=True)
    assert _names(html) == ["丙学员", "甲学员"]  # 乙 is outside the region, 丁 already decided
    assert inside.title in html and other_inside.title in html and "符合任职条件" in html


def test_filters_by_cohort_status_and_recommendation(client, login, make_cohort, make_user, make_trainee,
                                                     make_application, district):
    first, second = make_cohort(region=district), make_cohort(region=district)
    make_application(first, make_trainee(name="甲学员"))
    needs_review = make_application(first, make_trainee(name="乙学员", title_level="junior"))
    make_application(second, make_trainee(name="丙学员"))
    bureau = make_user("bureau", scope=district.parent)
    assert needs_review.status == "review"
    services.recommend(bureau, needs_review)
    db.session.commit()

    login(bureau)
    assert _names(client.get(f"/staff/review?cohort={first.code}").get_data(as_text=True)) == ["乙学员", "甲学员"]
    assert _names(client.get("/staff/review?status=review").get_data(as_text=True)) == ["乙学员"]
    assert _names(client.get("/staff/review?recommended=yes").get_data(as_text=True)) == ["乙学员"]
    assert _names(client.get(f"/staff/review?recommended=no&cohort={first.code}").get_data(as_text=True)) == ["甲学员"]
    # a review row shows why it needs a person to look at it
    assert "具有与所从事行业相关的学历背景" in client.get("/staff/review?status=review").get_data(as_text=True)


def test_recommending_from_the_queue_records_who_and_when(client, login, make_cohort, make_user, make_trainee,
                                                          make_application, district):
    cohort = make_cohort(region=district)
    application = make_application(cohort, make_trainee(name="甲学员"))
    bureau = make_user("bureau", scope=district.parent, name="区局李科长")
    login(bureau)
    action = f"/staff/review/{application.id}/recommend"
    assert action in client.get("/staff/review").get_data(as_text=True)

    response = client.post(f"{action}?cohort={cohort.code}")
    assert response.status_code == 302 and response.location.endswith(f"/staff/review?cohort={cohort.code}")
    db.session.expire_all()
    recommended = db.session.get(Application, application.id)
    assert recommended.recommended_by_id == bureau.id and recommended.recommended_at is not None
    assert recommended.status == "eligible"  # recommending decides nothing
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.recommend",
                                                      AuditEvent.object_id == application.id)).actor_id == bureau.id
    html = client.get(response.location).get_data(as_text=True)
    assert "已推荐：甲学员" in html and "已推荐（区局李科长，" in html
    assert action not in html  # no button on a recommended row
    # a second click (another tab) changes nothing and says why
    again = client.post(action, follow_redirects=True).get_data(as_text=True)
    assert "该报名已经推荐过" in again
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.recommend")) == 1


def test_others_are_refused(client, login, make_region, make_cohort, make_user, make_trainee, make_application,
                            district):
    cohort = make_cohort(region=district)
    application = make_application(cohort, make_trainee(name="甲学员"))
    trainee = make_trainee(name="乙学员")
    login(trainee)
    assert client.get("/staff/review").status_code == 403
    assert client.post(f"/staff/review/{application.id}/recommend").status_code == 403
    client.post("/logout")
    # a bureau of another region cannot reach the application at all
    login(make_user("bureau", scope=make_region(name="外区")))
    assert "甲学员" not in client.get("/staff/review").get_data(as_text=True)
    assert client.post(f"/staff/review/{application.id}/recommend").status_code == 404
    client.post("/logout")
    # institution staff see their cohort's queue but recommend nothing
    login(make_user("institution", scope=cohort.institution))
    html = client.get("/staff/review").get_data(as_text=True)
    assert _names(html) == ["甲学员"] and "/recommend" not in html
    assert client.post(f"/staff/review/{application.id}/recommend").status_code == 403
    db.session.expire_all()
    assert db.session.get(Application, application.id).recommended_at is None


def test_the_queue_is_paged(client, login, make_cohort, make_user, make_trainee, make_application, district):
    cohort = make_cohort(region=district, capacity=50)
    for n in range(26):
        make_application(cohort, make_trainee(name=f"学员{n:02d}"))
    login(make_user("bureau", scope=district.parent))
    first = client.get(f"/staff/review?cohort={cohort.code}").get_data(as_text=True)
    assert len(_names(first)) == 25 and "第 1 / 2 页" in first and "共 26 份报名" in first
    assert f"/staff/review?page=2&amp;cohort={cohort.code}" in first or \
        f"/staff/review?cohort={cohort.code}&amp;page=2" in first  # the filter survives paging
    second = client.get(f"/staff/review?cohort={cohort.code}&page=2").get_data(as_text=True)
    assert _names(second) == ["学员00"]  # the oldest comes last


@pytest.mark.parametrize("page", ["99999999999999999999999", "9223372036854775807", "-5", "x"])
def test_page_numbers_beyond_64_bits_are_an_empty_page_not_an_error(
        client, login, api_token, make_cohort, make_user, make_trainee, make_application, district, page):
    make_application(make_cohort(region=district), make_trainee(name="甲学员"))
    bureau = make_user("bureau", scope=district.parent)
    login(bureau)
    response = client.get(f"/staff/review?page={page}")
    assert response.status_code == 200
    assert _names(response.get_data(as_text=True)) == ([] if page[0] == "9" else ["甲学员"])
    response = client.get(f"/api/v1/applications?page={page}", headers=api_token(bureau))
    assert response.status_code == 200 and len(response.get_json()) == (0 if page[0] == "9" else 1)


def test_bureau_home_and_nav_link_to_the_queue(client, login, make_cohort, make_user, make_trainee,
                                               make_application, district):
    cohort = make_cohort(region=district)
    make_application(cohort, make_trainee())
    login(make_user("bureau", scope=district.parent))
    html = client.get("/home/bureau").get_data(as_text=True)
    assert 'href="/staff/review">辖区内 1 份报名待审核' in html
    assert f'href="/staff/review?cohort={cohort.code}"' in html
    client.post("/lang/en")
    html = client.get("/staff/review").get_data(as_text=True)
    assert ">Applications awaiting review</a>" in html and ">1 application<" in html and ">Recommend</button>" in html


def test_the_queue_renders_on_the_demo_data_for_staff(client, runner):
    from lms.demo import DEMO_PASSWORD

    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    for username in ("bureau", "admin", "institution"):
        client.post("/logout")
        assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
        response = client.get("/staff/review?status=eligible&recommended=no&page=1")
        assert response.status_code == 200, username


def test_the_queue_over_the_api(client, api_token, make_region, make_cohort, make_user, make_trainee,
                                make_application, district):
    cohort, outside = make_cohort(region=district), make_cohort(region=make_region(name="外区"))
    first = make_application(cohort, make_trainee(name="甲学员"))
    second = make_application(cohort, make_trainee(name="乙学员", title_level="junior"))
    make_application(outside, make_trainee(name="丙学员"))
    bureau = make_user("bureau", scope=district.parent, name="区局李科长")
    headers = api_token(bureau)
    listed = client.get("/api/v1/applications", headers=headers).get_json()
    assert [a["applicant"] for a in listed] == ["乙学员", "甲学员"]
    assert listed[0]["status"] == "review" and listed[0]["recommended_at"] is None

    response = client.post(f"/api/v1/applications/{first.id}/recommend", json={"note": "重点企业"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["recommended_by"] == "区局李科长"
    assert client.post(f"/api/v1/applications/{first.id}/recommend", json={}, headers=headers).status_code == 409
    waiting = client.get("/api/v1/applications?awaiting=recommendation", headers=headers).get_json()
    assert [a["id"] for a in waiting] == [second.id]
    assert [a["id"] for a in client.get(f"/api/v1/applications?cohort={cohort.code}&status=eligible",
                                        headers=headers).get_json()] == [first.id]
    assert client.get(f"/api/v1/applications?cohort={outside.code}", headers=headers).status_code == 404
    assert client.get("/api/v1/applications?status=approved", headers=headers).status_code == 422
    trainee = api_token(second.user)
    assert client.get("/api/v1/applications", headers=trainee).status_code == 403
    assert client.post(f"/api/v1/applications/{second.id}/recommend", json={}, headers=trainee).status_code == 403
