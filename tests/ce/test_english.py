"""The continuing-education pages in English show no Chinese outside data, crawled from /ce as
each demo account that has them (the general crawl may stop before it reaches them)."""
import pytest

from lms.demo import seed_demo
from lms.extensions import db
from tests.test_english_pages import _crawl, _data_strings


@pytest.mark.parametrize("username", ["graduate", "institution", "bureau", "enterprise", "admin"])
def test_ce_pages_in_english(app, client, username):
    seed_demo()
    db.session.commit()
    data = _data_strings()
    client.post("/login", data={"username": username, "password": "Demo@2026"})
    client.post("/lang/en")
    problems = {url: words for url, words in _crawl(app, client, "/ce", data).items() if url.startswith("/ce")}
    assert problems == {}, "\n".join(f"{url}: {' | '.join(words)}" for url, words in problems.items())
