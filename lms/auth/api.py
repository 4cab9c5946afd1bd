"""POST /auth/token, DELETE /auth/token and POST /auth/register."""
from flask import request
from flask_babel import lazy_gettext as _l

from lms.accounts import privacy
from lms.accounts.api import USER_SCHEMA, user_json
from lms.accounts.services import register_trainee
from lms.api.base import api_route, json_body, text_field
from lms.api.openapi import schema
from lms.auth.services import authenticate
from lms.auth.tokens import issue_token, revoke_token
from lms.auth.views import login_budget
from lms.core.errors import AppError, Forbidden, Unauthorized
from lms.web import refusal

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
    "type": "object", "required": ["username", "password", "name", "phone", "privacy_consent"],
    "properties": {
        "username": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,32}$"},
        "password": {"type": "string", "minLength": 8},
        "name": {"type": "string"},
        "phone": {"type": "string", "pattern": "^1[3-9][0-9]{9}$"},
        "email": {"type": "string", "description": "选填：找回密码的电子邮箱"},
        "privacy_consent": {"type": "boolean", "description": "本人已阅读并同意个人信息处理规则（GET /privacy-notice）；须为 true"},
        "privacy_notice_version": {"type": "string",
                                   "description": "所同意规则的版本；与现行版本不符时 422（规则已更新，请重新阅读）"},
        "invitation": {"type": "string", "description": "企业邀请链接中的令牌（/invite/{token}）：账户归属该企业，手机号码须为受邀号码"},
    },
})
PRIVACY_NOTICE = schema("PrivacyNotice", {
    "type": "object", "required": ["version", "sections"],
    "properties": {"version": {"type": "string"},
                   "sections": {"type": "array", "items": {
                       "type": "object", "required": ["title", "text"],
                       "properties": {"title": {"type": "string"}, "text": {"type": "string"}}}}},
})


@api_route("/auth/token", "POST", summary="用户名密码换取访问令牌（与登录页共用每个地址的频率额度）", tags=["auth"],
           auth=False, request=TOKEN_REQUEST, responses={"200": ("访问令牌", TOKEN)},
           errors=("400", "401", "403", "429"))
@login_budget
def token():
    data = json_body()
    result = authenticate(text_field(data, "username"), text_field(data, "password"), request.remote_addr)
    if result.user is None:
        return refusal(Unauthorized(result.error))  # answered, not raised: the attempt is recorded
    if result.user.must_change_password:
        return refusal(Forbidden(_l("请先在网页上登录，把管理员给出的临时密码改为您自己的密码")))
    access_token, expires_in = issue_token(result.user, request.user_agent.string)
    return {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}


@api_route("/auth/token", "DELETE", summary="撤销所出示的访问令牌（退出登录）", tags=["auth"],
           responses={"204": "令牌已撤销"}, errors=("400",))
def revoke():
    scheme, _sep, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise AppError(_l("请在 Authorization 头中出示要撤销的令牌 (Bearer <token>)"))
    revoke_token(presented.strip())
    return "", 204


@api_route("/auth/register", "POST", summary="学员自助注册（须同意个人信息处理规则；可带企业邀请令牌）", tags=["auth"], auth=False,
           request=REGISTRATION, responses={"201": ("已注册的账户", USER_SCHEMA)}, errors=("400", "422", "429"))
@login_budget
def register():
    data = json_body()
    version = data.get("privacy_notice_version")
    user = register_trainee(text_field(data, "username"), text_field(data, "password"),
                            text_field(data, "name"), text_field(data, "phone"), text_field(data, "email"),
                            consent=data.get("privacy_consent") is True, channel="api",
                            notice_version=version if isinstance(version, str) else None,
                            invitation=text_field(data, "invitation") or None)
    return user_json(user), 201


@api_route("/privacy-notice", "GET", summary="个人信息处理规则（注册前展示；注册时以 privacy_consent 表示同意）",
           tags=["auth"], auth=False, responses={"200": ("个人信息处理规则", PRIVACY_NOTICE)})
def privacy_notice():
    return privacy.notice_json()
