"""The certificates' fixed value sets (lms.core.enums.LabeledEnum: stored and sent as the value,
shown as the lazily translated label)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum


class CertificateStatus(LabeledEnum):
    """A certificate's status. `expired` is never stored: it is derived when read
    (models.status_on), so the stored ones are STORED_STATUSES."""

    VALID = "valid", _l("有效")
    REVOKED = "revoked", _l("已撤销")
    EXPIRED = "expired", _l("已过期")
    SUPERSEDED = "superseded", _l("已被新版本替代")


STORED_STATUSES = (CertificateStatus.VALID, CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED)


class Verdict(LabeledEnum):
    """The public check's one verdict, the worst of what it knows (DESIGN §9): the record's
    status, or `suspect` when the record is valid but what was shown (the QR code's token,
    an uploaded PDF) does not match it."""

    VALID = "valid", _l("有效")
    SUSPECT = "suspect", _l("存疑")
    REVOKED = "revoked", _l("已撤销")
    EXPIRED = "expired", _l("已过期")
    SUPERSEDED = "superseded", _l("已被新版本替代")


class TokenState(LabeledEnum):
    """The QR code's token against the record: `absent` when the check came without one."""

    VALID = "valid", _l("二维码与记录一致")
    INVALID = "invalid", _l("二维码与记录不一致")
    ABSENT = "absent", _l("未经二维码")


class Channel(LabeledEnum):
    """How a public check came in (the holder's check log)."""

    PAGE = "page", _l("扫码或网页")
    API = "api", _l("接口查询")
    PDF_CHECK = "pdf-check", _l("核对 PDF 文件")


def verdict_of(status: str, token: TokenState, pdf_genuine: bool | None = None) -> Verdict:
    """The worst of what the check knows: a record that is not valid says so; a valid record
    shown with a token or a file that does not match it is suspect."""
    if status != CertificateStatus.VALID:
        return Verdict(status)
    if token == TokenState.INVALID or pdf_genuine is False:
        return Verdict.SUSPECT
    return Verdict.VALID


class Agent(LabeledEnum):
    """The browser family a check came from (lms.verify.services.agent_family), as the holder reads it."""

    WECHAT = "wechat", _l("微信")
    ALIPAY = "alipay", _l("支付宝")
    DINGTALK = "dingtalk", _l("钉钉")
    EDGE = "edge", "Edge"
    FIREFOX = "firefox", "Firefox"
    CHROME = "chrome", "Chrome"
    SAFARI = "safari", "Safari"
    CURL = "curl", _l("命令行工具")
    SCRIPT = "script", _l("程序")
    OTHER = "other", _l("其他")
