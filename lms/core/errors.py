"""Errors services raise; the app turns them into HTML pages or JSON errors."""
from __future__ import annotations


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(AppError):
    """Bad input: `fields` maps each field (or row/line) to what is wrong with it."""

    status = 422
    code = "validation_failed"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    """Also what an object outside the actor's scope answers, so ids cannot be probed."""

    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Unavailable(AppError):
    """A service the request needs (the database, the job queue) is down for now: retry later.
    Answered with Retry-After, so clients (the exam page's queue) know to keep the work and retry."""

    status = 503
    code = "unavailable"
    retry_after = 5
