"""Enterprise HR invites a person by mobile number.

HR gets a link to send (by SMS, WeChat...); it is also written to the server log. The person
opens it, reads the privacy notice and creates their own account with that mobile number;
the account then belongs to the enterprise (the profile form starts with the enterprise
filled in). A link works once (a conditional UPDATE) and expires after INVITATION_DAYS; a
new invitation of the same number by the same enterprise replaces the open one.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from lms.accounts.models import EnterpriseInvitation, User
from lms.core import audit
from lms.core.errors import Conflict, Forbidden, ValidationFailed
from lms.core.masking import mask_phone
from lms.core.permissions import enterprise_ids
from lms.core.time import utcnow
from lms.extensions import db
from lms.orgs.models import Enterprise

log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_inviter(actor, enterprise: Enterprise | None) -> None:
    if enterprise is None or enterprise.id not in enterprise_ids(actor):
        raise Forbidden(_l("只有本企业的人事联系人可以邀请员工"))


def invitation_link(token: str) -> str:
    """The address to send: built from PUBLIC_BASE_URL, never the request's Host header."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for("auth.invitation", token=token, _external=True)


def invite(actor, enterprise: Enterprise | None, phone: str, name: str = "") -> tuple[EnterpriseInvitation, str]:
    """A new invitation and its link (shown once to HR, and logged). Refused for a number that
    already belongs to one of the enterprise's accounts by an accepted invitation."""
    from lms.accounts.services import PHONE_RE

    require_inviter(actor, enterprise)
    phone, name = (phone or "").strip(), (name or "").strip()
    problems = {}
    if not PHONE_RE.match(phone):
        problems["phone"] = _l("请填写11位中国大陆手机号码")
    if len(name) > 64:
        problems["name"] = _l("姓名不能超过64个字符")
    if problems:
        raise ValidationFailed(_l("邀请未发出"), problems)
    joined = db.session.scalar(select(EnterpriseInvitation.id).join(User, User.id == EnterpriseInvitation.user_id)
                               .where(EnterpriseInvitation.enterprise_id == enterprise.id, User.phone == phone,
                                      User.active.is_(True)))
    if joined is not None:
        raise Conflict(_l("该手机号码的员工已经通过邀请加入本企业"))
    now = utcnow()
    db.session.execute(update(EnterpriseInvitation).where(
        EnterpriseInvitation.enterprise_id == enterprise.id, EnterpriseInvitation.phone == phone,
        EnterpriseInvitation.accepted_at.is_(None), EnterpriseInvitation.expires_at > now).values(expires_at=now))
    token = secrets.token_urlsafe(24)
    invitation = EnterpriseInvitation(enterprise=enterprise, phone=phone, name=name, token_hash=_digest(token),
                                      invited_by_id=actor.id, created_at=now,
                                      expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]))
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "invitation.create", invitation, enterprise=enterprise.uscc, phone=mask_phone(phone))
    link = invitation_link(token)
    log.warning("invitation link of %s for %s (expires %s): %s", enterprise.name, mask_phone(phone),
                invitation.expires_at.isoformat(timespec="minutes"), link)
    return invitation, link


def open_invitation(token: str | None, now: datetime | None = None) -> EnterpriseInvitation | None:
    """The invitation a link names while it is unused and unexpired, else None."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(select(EnterpriseInvitation).where(EnterpriseInvitation.token_hash == _digest(token)))
    if invitation is None or not invitation.open_at(now or utcnow()):
        return None
    return invitation


def accept(token: str, user: User) -> EnterpriseInvitation:
    """The person uses the link: exactly once (two tabs, a replay: one wins, the others are refused)."""
    invitation = open_invitation(token)
    if invitation is None:
        raise Conflict(_l("邀请链接已失效：已被使用、已过期或已被新的邀请取代，请联系企业人事重新邀请"))
    if user.phone != invitation.phone:
        raise ValidationFailed(_l("手机号码与邀请不符"), {"phone": _l("请使用收到邀请的手机号码 %(phone)s",
                                                                      phone=mask_phone(invitation.phone))})
    now = utcnow()
    done = db.session.execute(update(EnterpriseInvitation).where(
        EnterpriseInvitation.id == invitation.id, EnterpriseInvitation.accepted_at.is_(None),
        EnterpriseInvitation.expires_at > now).values(accepted_at=now, user_id=user.id)).rowcount
    if done != 1:
        raise Conflict(_l("邀请链接已失效：已被使用、已过期或已被新的邀请取代，请联系企业人事重新邀请"))
    db.session.refresh(invitation)
    audit.record(user, "invitation.accept", invitation, enterprise=invitation.enterprise.uscc)
    return invitation


def invitations_of(actor, limit: int = 50) -> list[EnterpriseInvitation]:
    """The actor's enterprises' invitations, newest first."""
    own = sorted(enterprise_ids(actor)) or [-1]
    return list(db.session.scalars(select(EnterpriseInvitation).where(EnterpriseInvitation.enterprise_id.in_(own))
                                   .order_by(EnterpriseInvitation.created_at.desc(), EnterpriseInvitation.id.desc())
                                   .limit(limit)))


def invited_enterprise(user: User) -> Enterprise | None:
    """The enterprise the user joined by invitation (the latest), for their profile form."""
    return db.session.scalar(select(Enterprise).join(EnterpriseInvitation, EnterpriseInvitation.enterprise_id == Enterprise.id)
                             .where(EnterpriseInvitation.user_id == user.id)
                             .order_by(EnterpriseInvitation.accepted_at.desc()).limit(1)) if user else None


def members(enterprise_ids_: set[int]) -> list[tuple[User, Enterprise]]:
    """Accounts that joined these enterprises by invitation, with the enterprise."""
    rows = db.session.execute(select(User, Enterprise).join(EnterpriseInvitation, EnterpriseInvitation.user_id == User.id)
                              .join(Enterprise, Enterprise.id == EnterpriseInvitation.enterprise_id)
                              .where(EnterpriseInvitation.enterprise_id.in_(sorted(enterprise_ids_) or [-1]))
                              .order_by(User.name))
    return [(user, enterprise) for user, enterprise in rows]


def state_of(invitation: EnterpriseInvitation, now: datetime | None = None) -> str:
    """accepted | open | expired (for the HR list)."""
    if invitation.accepted_at is not None:
        return "accepted"
    return "open" if invitation.expires_at > (now or utcnow()) else "expired"
