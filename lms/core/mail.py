"""Outgoing e-mail through the configured SMTP server (SMTP_* settings).

Without SMTP_HOST nothing is sent: `send_mail` returns False and the caller writes what it
would have sent to the server log instead (the only way out on an intranet without mail).
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

SMTP_TIMEOUT_SECONDS = 15


def mail_configured() -> bool:
    return bool(current_app.config["SMTP_HOST"])


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text e-mail; False when no SMTP server is configured. SMTP errors are raised."""
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["SMTP_FROM"], to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="lms")
    message.set_content(body)
    context = ssl.create_default_context()
    if cfg["SMTP_TLS"] == "ssl":
        connection = smtplib.SMTP_SSL(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
    with connection as smtp:
        if cfg["SMTP_TLS"] == "starttls":
            smtp.starttls(context=context)
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        smtp.send_message(message)
    return True
