"""Shared fixtures: the app (SQLite by default, PostgreSQL when TEST_DATABASE_URL is set),
clean tables per test, clients, a CLI runner and factories."""
from __future__ import annotations

import itertools
import os
from datetime import date

import pytest
from sqlalchemy import delete

from flask.testing import FlaskClient

from lms import create_app
from lms.extensions import db, limiter
from lms.verify import checklog
from tests import api_contract

TEST_PASSWORD = "Passw0rd!x"
_serial = itertools.count(1)


_database_url: list[str] = []


def shared_database_url(tmp_path_factory) -> str:
    """One database for the whole run: every app a test builds shares it."""
    if not _database_url:
        _database_url.append(os.environ.get("TEST_DATABASE_URL")
                             or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}")
    return _database_url[0]


def app_config(tmp_path_factory, **overrides):
    url = shared_database_url(tmp_path_factory)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "WTF_CSRF_ENABLED": False,
        "VERIFY_LOG_INTERVAL": 3600,  # the check log's thread never writes mid-test: tests flush explicitly
    }
    config.update(overrides)
    return config


class RequestScopedClient(FlaskClient):
    """Each request runs in its own app context (own `g`, own database session), as in
    production, even though the test itself holds an app context for its assertions.
    Every /api/v1 answer is checked against the OpenAPI document (tests/api_contract.py)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        request = response.request
        api_contract.check(self.application, request.method, request.path, response)
        return response


def build_app(tmp_path_factory, **overrides):
    app = create_app(app_config(tmp_path_factory, **overrides))
    app.test_client_class = RequestScopedClient
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    os.environ.setdefault("LMS_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    app = build_app(tmp_path_factory)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    checklog.flush_all()
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _wipe() -> None:
    checklog.flush_all()  # the previous test's queued checks, before their certificates go
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_state(request, app):
    """Each test starts with empty tables, fresh rate limits and an app context."""
    if request.node.get_closest_marker("browser"):
        yield  # browser tests keep their module's seeded data (see tests/browser/conftest.py)
        return
    with app.app_context():
        _wipe()
        limiter.reset()
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_app(tmp_path_factory):
    """Another app on the same database with other settings; its connections are closed after."""
    apps = []

    def make(**overrides):
        other = build_app(tmp_path_factory, **overrides)
        apps.append(other)
        return other

    yield make
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF protection on (the session app turns it off for brevity)."""
    return make_app(WTF_CSRF_ENABLED=True)


# ---- factories ---------------------------------------------------------------------

@pytest.fixture
def make_region():
    from lms.orgs.services import add_region, region_by_code

    def make(code: str | None = None, name: str = "测试区", level: str = "district", parent=None):
        code = code or f"T{next(_serial):05d}"
        region = region_by_code(code) or add_region(code, name, level, parent)
        db.session.commit()
        return region

    return make


@pytest.fixture
def make_institution(make_region):
    from lms.demo import demo_uscc
    from lms.orgs.models import Institution

    def make(name: str = "测试培训机构", region=None, accredited_from=date(2024, 1, 1),
             accredited_until=date(2030, 12, 31)):
        n = next(_serial)
        institution = Institution(code=f"INST{n}", name=f"{name}{n}", uscc=demo_uscc("310105", 5000 + n),
                                  region=region or make_region(), accreditation_no=f"资{n}",
                                  accredited_from=accredited_from, accredited_until=accredited_until)
        db.session.add(institution)
        db.session.commit()
        return institution

    return make


@pytest.fixture
def make_enterprise(make_region):
    from lms.demo import demo_uscc
    from lms.orgs.models import Enterprise

    def make(name: str = "测试企业", region=None):
        n = next(_serial)
        region = region or make_region()
        enterprise = Enterprise(uscc=demo_uscc("310105", 6000 + n), name=f"{name}{n}", region=region)
        db.session.add(enterprise)
        db.session.commit()
        return enterprise

    return make


@pytest.fixture
def make_user():
    from lms.accounts.models import RoleGrant, User
    from lms.accounts.passwords import hash_password

    def make(role: str = "trainee", scope=None, username: str | None = None, password: str = TEST_PASSWORD,
             name: str = "测试用户"):
        username = username or f"user{next(_serial)}"
        user = User(username=username, name=name, password_hash=hash_password(password), phone="13900001111")
        user.grants.append(RoleGrant(role=role, **_scope_kwargs(scope)))
        db.session.add(user)
        db.session.commit()
        return user

    return make


def _scope_kwargs(scope) -> dict[str, int]:
    if scope is None:
        return {}
    key = {"regions": "region_id", "institutions": "institution_id", "enterprises": "enterprise_id"}
    return {key[scope.__tablename__]: scope.id}


@pytest.fixture
def login(client):
    def do(user, password: str = TEST_PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


@pytest.fixture
def api_token(client):
    def get(user, password: str = TEST_PASSWORD) -> dict[str, str]:
        response = client.post("/api/v1/auth/token", json={"username": user.username, "password": password})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['access_token']}"}

    return get
