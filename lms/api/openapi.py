"""The OpenAPI 3.1 document, assembled from the operations api_route() registers."""
from __future__ import annotations

from copy import deepcopy
from typing import Any

PATHS: dict[str, dict[str, Any]] = {}
# Flask endpoint -> (document path, method), so a response can be checked against its operation
ENDPOINTS: dict[str, tuple[str, str]] = {}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}

SCHEMAS: dict[str, Any] = {"Error": ERROR_SCHEMA}

ERROR_STATUSES = {
    "400": "请求格式错误 (bad request)",
    "401": "未认证或令牌无效 (unauthorized)",
    "403": "无权限 (forbidden)",
    "404": "不存在或不在权限范围内 (not found)",
    "409": "状态冲突 (conflict)",
    "422": "字段校验失败，见 error.fields (validation failed)",
    "429": "请求过于频繁 (rate limited)",
}


def schema(name: str, definition: dict[str, Any]) -> dict[str, str]:
    """Register a component schema; returns a $ref to it."""
    SCHEMAS[name] = definition
    return ref(name)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def add_operation(path: str, method: str, *, summary: str, tags: list[str], auth: bool,
                  request: dict | None, responses: dict[str, Any], errors: tuple[str, ...],
                  parameters: list[dict] | None) -> None:
    op: dict[str, Any] = {"summary": summary, "tags": tags, "responses": {}}
    if parameters:
        op["parameters"] = parameters
    if auth:
        op["security"] = [{"bearer": []}]
    else:
        op["security"] = []
    if request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    for status, body in responses.items():
        if isinstance(body, str):
            op["responses"][status] = {"description": body}
        else:
            description, body_schema = body
            op["responses"][status] = {
                "description": description,
                "content": {"application/json": {"schema": body_schema}},
            }
    for status in errors + (("401",) if auth else ()):
        op["responses"].setdefault(status, {
            "description": ERROR_STATUSES[status],
            "content": {"application/json": {"schema": ref("Error")}},
        })
    PATHS.setdefault(path, {})[method.lower()] = op


def document(version: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "企业标准化总监培训考试系统 API",
            "version": version,
            "description": "Errors: {\"error\": {\"code\", \"message\", \"fields\"}}. Times are ISO 8601 with offset.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": deepcopy(PATHS),
        "components": {
            "schemas": deepcopy(SCHEMAS),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "POST /auth/token 获取"}},
        },
    }
