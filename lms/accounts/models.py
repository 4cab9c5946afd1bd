"""Users and their role grants. A grant carries the scope the role applies to."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.roles import Role, scope_matches_role_sql
from lms.core.enums import EnumText
from lms.core.time import UTCDateTime, utcnow
from lms.extensions import db
from lms.orgs.models import Enterprise, Institution, Region


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    # where password-reset links go; stored lowercased
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    # set when an administrator gives a temporary password: every page leads to the password change
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the account lock (lms.auth.lockout): when it ends; failures before failures_cleared_at no longer count
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="RoleGrant.id"
    )

    # The id of the server-side session this object was signed in with or loaded for (lms.auth.sessions):
    # what Flask-Login keeps in the session cookie. Not a column.
    session_key = None

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # Flask-Login
    def get_id(self) -> str | None:
        return self.session_key

    @property
    def is_active(self) -> bool:
        return self.active

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def clear_login_failures(self, now: datetime) -> None:
        """Lift the lock and forget earlier failed logins (lms.auth.lockout counts from `now`)."""
        self.failures_cleared_at = now
        self.locked_until = None

    @property
    def roles(self) -> list[Role]:
        """Roles in a stable order (Role's order), without duplicates."""
        held = {g.role for g in self.grants}
        return [role for role in Role if role in held]

    def has_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    def grants_for(self, role: str) -> list[RoleGrant]:
        return [g for g in self.grants if g.role == role]


class RoleGrant(db.Model):
    __tablename__ = "role_grants"
    __table_args__ = (
        Role.check("role"),
        CheckConstraint(scope_matches_role_sql(), name="scope_matches_role"),
        UniqueConstraint("user_id", "role", "region_id", "institution_id", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(EnumText(Role, 16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    region: Mapped[Region | None] = relationship(lazy="joined")
    institution: Mapped[Institution | None] = relationship(lazy="joined")
    enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<RoleGrant {self.role} user={self.user_id} scope={self.scope!r}>"

    @property
    def scope(self) -> Region | Institution | Enterprise | None:
        return self.region or self.institution or self.enterprise


class PrivacyConsent(db.Model):
    """A person's consent to the privacy notice (个人信息保护法): which version, when, through which channel."""

    __tablename__ = "privacy_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    notice_version: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))  # web | api
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<PrivacyConsent user={self.user_id} v{self.notice_version}>"


class EnterpriseInvitation(db.Model):
    """Enterprise HR invites a person by mobile number: a single-use, expiring link with which the
    person creates their own account, which then belongs to the enterprise. Only the token's
    SHA-256 is stored."""

    __tablename__ = "enterprise_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set once, by the conditional UPDATE that uses the link
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<EnterpriseInvitation {self.id} enterprise={self.enterprise_id}>"

    def open_at(self, now: datetime) -> bool:
        return self.accepted_at is None and self.expires_at > now
