"""API tokens: the holder sees and revokes them, a client revokes the token it presents, and
dead ones are pruned."""
from datetime import timedelta

from sqlalchemy import func, select, update

from lms.auth.models import ApiToken
from lms.core.time import utcnow
from lms.extensions import db


def test_the_user_sees_their_tokens_and_revokes_one(client, make_user, login):
    user = make_user()
    issued = client.post("/api/v1/auth/token", json={"username": user.username, "password": "Passw0rd!x"},
                         headers={"User-Agent": "MiniProgram/2.1"}).get_json()
    headers = {"Authorization": f"Bearer {issued['access_token']}"}
    login(user)
    assert "MiniProgram/2.1" in client.get("/account").get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "MiniProgram/2.1" not in client.get("/account").get_data(as_text=True)


def test_nobody_revokes_another_users_token(client, make_user, api_token, login):
    owner = make_user()
    headers = api_token(owner)
    login(make_user())
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_delete_revokes_the_token_presented(client, make_user, api_token):
    user = make_user()
    headers, other = api_token(user), api_token(user)
    response = client.delete("/api/v1/auth/token", headers=headers)
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only the one presented
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 401


def test_prune_tokens_deletes_expired_and_revoked_ones(runner, client, make_user, api_token):
    user = make_user()
    live, _expired, revoked = api_token(user), api_token(user), api_token(user)
    client.delete("/api/v1/auth/token", headers=revoked)
    second = db.session.scalars(select(ApiToken.id).order_by(ApiToken.id)).all()[1]
    db.session.execute(update(ApiToken).where(ApiToken.id == second).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    result = runner.invoke(args=["lms", "prune-tokens"])
    assert result.exit_code == 0 and "deleted: 2 API tokens" in result.output
    assert db.session.scalar(select(func.count(ApiToken.id))) == 1
    assert client.get("/api/v1/me", headers=live).status_code == 200


def test_a_new_token_sweeps_away_the_users_dead_ones(client, make_user, api_token):
    user = make_user()
    first = api_token(user)
    client.delete("/api/v1/auth/token", headers=first)
    api_token(user)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 1
