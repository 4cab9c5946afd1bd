"""The public check: look a number up, show what anyone may see, log the check.

One indexed query for the public columns (a prebuilt Core statement), one queued row in the
check log (lms.verify.checklog). The page's fast path (lms.verify.fast), the JSON twin and
the PDF check all come here.
"""
from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable

from flask import current_app
from sqlalchemy import Connection, bindparam, insert, select

from lms.certificates.enums import Channel
from lms.certificates.models import Certificate, VerificationEvent
from lms.certificates.numbers import normalize_cert_no
from lms.certificates.services import public_view
from lms.core.time import utcnow
from lms.extensions import db
from lms.verify import checklog

# What the public check reads: one indexed query for these columns, no ORM objects.
PUBLIC_COLUMNS = (Certificate.id, Certificate.user_id, Certificate.cert_no, Certificate.version, Certificate.status,
                  Certificate.holder_name, Certificate.holder_id_number, Certificate.program_code,
                  Certificate.program_title, Certificate.institution_code, Certificate.institution_name,
                  Certificate.hours, Certificate.issued_on, Certificate.valid_until, Certificate.revoked_reason,
                  Certificate.revoked_at, Certificate.superseded_at, Certificate.token, Certificate.pdf_sha256)


# Sections later domains add to the public view, registered from their init_app: name ->
# build(certificate row, connection) -> dict (continuing education adds the holder's standing).
PUBLIC_SECTIONS: dict[str, Callable] = {}


def add_public_section(name: str, build: Callable) -> None:
    PUBLIC_SECTIONS[name] = build


def full_view(certificate, token: str | None = None, connection: Connection | None = None, *,
              pdf_genuine: bool | None = None) -> dict:
    """The public view (with its verdict) and the sections later domains add (on
    `connection`, default the session's)."""
    view = public_view(certificate, token, pdf_genuine=pdf_genuine)
    for name, build in PUBLIC_SECTIONS.items():
        view[name] = build(certificate, connection or db.session.connection())
    return view


_LOOKUP = select(*PUBLIC_COLUMNS).where(Certificate.cert_no == bindparam("number"))
_LOG = insert(VerificationEvent)


def lookup(cert_no: str, connection: Connection | None = None):
    """The certificate's public columns (a row with the same attribute names as Certificate),
    or None. Whatever the text looks like, an unknown number is just None. Runs on
    `connection` when given, else on the session's connection (same transaction)."""
    number = normalize_cert_no(cert_no)
    if not number or len(number) > 40:
        return None
    # Core, with the statement built once
    return (connection or db.session.connection()).execute(_LOOKUP, {"number": number}).first()


AGENT_FAMILIES = (("MicroMessenger", "wechat"), ("AlipayClient", "alipay"), ("DingTalk", "dingtalk"),
                  ("Edg/", "edge"), ("Firefox/", "firefox"), ("Chrome/", "chrome"), ("Safari/", "safari"),
                  ("curl/", "curl"), ("python", "script"), ("Go-http-client", "script"))


def agent_family(user_agent: str | None) -> str:
    for marker, family in AGENT_FAMILIES:
        if marker in (user_agent or ""):
            return family
    return "other"


def network_of(ip: str | None) -> str:
    """IPv4 /24 or IPv6 /48: the raw address is not kept."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def log_check(certificate, channel: Channel, *, ip: str | None, user_agent: str | None,
              token_matched: bool | None = None, check_log: checklog.CheckLog | None = None,
              connection: Connection | None = None) -> None:
    """Log one public check. Queued for the app's batch writer (`check_log`, default the
    current app's; written within VERIFY_LOG_INTERVAL seconds, see lms.verify.checklog), or
    with an interval of 0 one INSERT on `connection` (default the session's), committed by
    the caller with the request. `token_matched`: whether what was shown matched the record
    (the QR code's token; for a PDF check, the file). On PostgreSQL that commit does not wait for the WAL flush:
    a server crash may lose the last fraction of a second of check-log rows."""
    check_log = check_log or checklog.for_app(current_app)
    row = {"certificate_id": certificate.id, "at": utcnow(), "network": network_of(ip),
           "agent": agent_family(user_agent), "channel": Channel(channel).value, "token_matched": token_matched}
    if check_log.interval:
        check_log.add(row)
        return
    connection = connection or db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
    connection.execute(_LOG, row)


def check(cert_no: str, channel: Channel, token: str | None, *, ip: str | None, user_agent: str | None,
          check_log: checklog.CheckLog | None = None, connection: Connection | None = None) -> dict | None:
    """One public check (the page and its JSON twin): look the number up, build the public
    view and log the check. None for an unknown number, whatever it looks like. The page's
    fast path, outside any app context, passes its own connection and the app's check log."""
    certificate = lookup(cert_no, connection)
    if certificate is None:
        return None
    view = full_view(certificate, token, connection)
    log_check(certificate, channel, ip=ip, user_agent=user_agent, token_matched=view["token_matched"],
              check_log=check_log, connection=connection)
    return view


def check_pdf(certificate, content: bytes, *, ip: str | None, user_agent: str | None) -> tuple[bool, int | None]:
    """(genuine, version): genuine when the upload is byte for byte the file issued under
    this number. Logged as a check (the page's form and the API alike), with whether it matched."""
    genuine = hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    log_check(certificate, Channel.PDF_CHECK, ip=ip, user_agent=user_agent, token_matched=genuine)
    return genuine, certificate.version if genuine else None
