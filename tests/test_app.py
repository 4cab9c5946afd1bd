import os
import subprocess
import sys
from pathlib import Path

import pytest

from lms import create_app
from lms.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_pages_carry_security_headers_and_no_outside_assets(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html


def test_login_page_is_chinese_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "登录" in html


@pytest.mark.parametrize("name, value, expected", [
    ("DATABASE_URL", "nonsense", "DATABASE_URL: not a database URL"),
    ("DATABASE_URL", "mysql://x@localhost/db", "unsupported database 'mysql'"),
    ("LOCKOUT_THRESHOLD", "ten", "LOCKOUT_THRESHOLD"),
    ("SESSION_COOKIE_SECURE", "maybe", "expected true/false"),
    ("PUBLIC_BASE_URL", "example.org", "http(s)://"),
    ("LOGIN_RATE_LIMIT", "lots", "not a rate limit"),
    ("SMTP_TLS", "maybe", "expected starttls, ssl or none"),
])
def test_bad_setting_stops_start_up_naming_the_setting(name, value, expected, tmp_path):
    with pytest.raises(ConfigError) as caught:
        create_app({name: value, "SECRET_KEY": "x"})
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"configuration error: {name}:")


def test_a_mail_server_needs_a_sender_address():
    with pytest.raises(ConfigError, match="SMTP_FROM: required when SMTP_HOST is set"):
        create_app({"SMTP_HOST": "mail.internal", "SECRET_KEY": "x"})


def test_bad_database_url_prints_one_line_not_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres//broken", "LMS_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "lms", "seed-demo"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip() == "configuration error: DATABASE_URL: not a database URL: 'postgres//broken'"


def test_unknown_key_in_instance_config_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text('LOCKOUT_TRESHOLD = 5\n', encoding="utf-8")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="LOCKOUT_TRESHOLD: unknown setting"):
        create_app({"SECRET_KEY": "x"})


def test_instance_config_file_values_apply(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text('LOCKOUT_THRESHOLD = 4\n', encoding="utf-8")
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("LOCKOUT_THRESHOLD", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["LOCKOUT_THRESHOLD"] == 4
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"


def test_every_setting_is_documented_in_the_readme():
    from lms.config import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    assert missing == []


def test_unknown_page_shows_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_english_can_be_chosen(client):
    client.post("/lang/en")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html
