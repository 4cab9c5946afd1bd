"""POST /auth/token and POST /auth/register."""
from flask import current_app, request

from lms.accounts.services import register_trainee
from lms.api.base import api_route, json_body, text_field
from lms.api.openapi import schema
from lms.accounts.api import USER_SCHEMA, user_json
from lms.auth.services import authenticate, issue_token
from lms.core.errors import Unauthorized
from lms.extensions import db, limiter

TOKEN_REQUEST = schema("TokenRequest", {
    "type": "object", "required": ["username", "password"],
    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
})
TOKEN = schema("Token", {
    "type": "object", "required": ["access_token", "token_type", "expires_in"],
    "properties": {
        "access_token": {"type": "string"},
        "token_type": {"const": "Bearer"},
        "expires_in": {"type": "integer", "description": "seconds"},
    },
})
REGISTRATION = schema("Registration", {
    "type": "object", "required": ["username", "password", "name", "phone"],
    "properties": {
        "username": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,32}$"},
        "password": {"type": "string", "minLength": 8},
        "name": {"type": "string"},
        "phone": {"type": "string", "pattern": "^1[3-9][0-9]{9}$"},
    },
})


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@api_route("/auth/token", "POST", summary="用户名密码换取访问令牌", tags=["auth"], auth=False,
           request=TOKEN_REQUEST, responses={"200": ("访问令牌", TOKEN)}, errors=("400", "401", "429"))
@limiter.limit(_login_limit)
def token():
    data = json_body()
    result = authenticate(text_field(data, "username"), text_field(data, "password"), request.remote_addr)
    if result.user is None:
        db.session.commit()  # the failed attempt counts towards lockout
        raise Unauthorized(result.error)
    access_token, expires_in = issue_token(result.user)
    return {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}


@api_route("/auth/register", "POST", summary="学员自助注册", tags=["auth"], auth=False,
           request=REGISTRATION, responses={"201": ("已注册的账户", USER_SCHEMA)}, errors=("400", "422", "429"))
@limiter.limit(_login_limit)
def register():
    data = json_body()
    user = register_trainee(text_field(data, "username"), text_field(data, "password"),
                            text_field(data, "name"), text_field(data, "phone"))
    return user_json(user), 201
