from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.passwords import verify_password
from lms.demo import ACCOUNTS, DEMO_PASSWORD
from lms.extensions import db
from lms.orgs.models import Region


def _snapshot():
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = sorted(tuple(str(v) for v in row) for row in db.session.execute(table.select()))
    return rows


def test_seed_demo_twice_changes_nothing(runner):
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    before = _snapshot()
    second = runner.invoke(args=["lms", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert _snapshot() == before


def test_seed_demo_builds_the_three_region_trees(runner):
    runner.invoke(args=["lms", "seed-demo"])

    def children(code):
        parent = db.session.scalar(select(Region).where(Region.code == code))
        return [r.name for r in parent.children]

    assert len(children("310000")) == 16 and "长宁区" in children("310000")
    assert len(children("210000")) == 15 and "沈抚示范区" in children("210000")
    assert len(children("330000")) == 11


def test_every_demo_account_logs_in_with_the_demo_password(runner, app):
    result = runner.invoke(args=["lms", "seed-demo"])
    for username, *_rest in ACCOUNTS:
        assert username in result.output
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
    # the other users are people of the demo's talent pool (like roster imports): nobody knows their password
    listed = [username for username, *_rest in ACCOUNTS]
    others = db.session.scalars(select(User).where(User.username.not_in(listed))).all()
    assert others and not any(verify_password(user.password_hash, DEMO_PASSWORD) for user in others)


def test_create_admin_command(runner, app):
    result = runner.invoke(args=["lms", "create-admin", "--username", "boss", "--name", "局长",
                                 "--password", "Adm1nPass"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "boss"))
    assert user.roles == ["admin"]
    bad = runner.invoke(args=["lms", "create-admin", "--username", "boss", "--name", "x", "--password", "Adm1nPass"])
    assert bad.exit_code != 0 and "该用户名已被使用" in bad.output
