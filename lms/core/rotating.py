"""Rotating codes for QR check-in: a projector shows a code that changes every 30 seconds.

token = HMAC-SHA256(SECRET_KEY, "<purpose>:<object id>:<30-second step>"), 24 hex characters.
The current and the previous step are accepted; an older code of the same object is told
apart ("stale": the person scanned an old photo or waited too long) from a code of another
object ("foreign"). The purpose keeps the codes of different kinds of object apart
(enrollment sessions use "checkin", continuing-education activities "ce-activity").
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from enum import Enum

from flask import current_app

STEP_SECONDS = 30
STALE_LOOKBACK = 240  # steps (2 hours) searched to tell a stale code from a foreign one


class Match(Enum):
    CURRENT = "current"
    STALE = "stale"
    FOREIGN = "foreign"


def step_of(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def token_for(purpose: str, object_id: int, step: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{object_id}:{step}".encode(), hashlib.sha256).hexdigest()[:24]


def current(purpose: str, object_id: int, now: datetime) -> tuple[str, int]:
    """The code to show now and the seconds until it rotates."""
    return token_for(purpose, object_id, step_of(now)), STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS


def match(purpose: str, object_id: int, token: str, now: datetime) -> Match:
    """Whether `token` is this object's code now (or a step ago), an older one, or not its code at all."""
    step = step_of(now)
    token = (token if isinstance(token, str) else "")[:64].encode()  # bytes: compare_digest refuses non-ASCII str
    if any(hmac.compare_digest(token, token_for(purpose, object_id, s).encode()) for s in (step, step - 1)):
        return Match.CURRENT
    if any(hmac.compare_digest(token, token_for(purpose, object_id, s).encode())
           for s in range(step - 2, step - STALE_LOOKBACK, -1)):
        return Match.STALE
    return Match.FOREIGN
