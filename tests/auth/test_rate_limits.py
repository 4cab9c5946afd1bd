"""One per-address budget for the login page and the API token."""


def test_login_page_and_token_share_one_budget(make_app):
    client = make_app(LOGIN_RATE_LIMIT="3 per minute").test_client()
    statuses = [client.post("/login", data={"username": "x", "password": "y"}).status_code,
                client.post("/api/v1/auth/token", json={"username": "x", "password": "y"}).status_code,
                client.post("/login", data={"username": "x", "password": "y"}).status_code,
                client.post("/api/v1/auth/token", json={"username": "x", "password": "y"}).status_code]
    assert statuses == [200, 401, 200, 429]
