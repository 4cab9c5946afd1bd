"""The privacy notice shown at registration (个人信息保护法 articles 14 and 17: purpose, what is
collected, who sees it, how long it is kept, the person's rights) and the consent record.

Change NOTICE_VERSION whenever the wording changes in substance: each consent records the
version the person agreed to, with the time and the channel (web, api).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.accounts.models import PrivacyConsent, User
from lms.core import audit
from lms.core.time import utcnow
from lms.extensions import db

NOTICE_VERSION = "2026-12"

NOTICE = (
    (_l("处理目的"),
     _l("组织企业标准化人才的培训、考试、发证、继续教育和人才库管理：核验您的报名资格，安排课程和考试，"
        "制作和核验合格证，并向您所在企业和市场监管部门报送培训与任职情况。")),
    (_l("收集的个人信息"),
     _l("账户信息（用户名、姓名、手机号码，选填的电子邮箱）；报名时填写的身份证号码、性别、学历、专业、职称、"
        "工作单位、职务、标准化工作年限和证件照；考勤、考试作答与成绩、合格证、继续教育学时；登录和操作记录"
        "（时间、IP 地址、浏览器类型）。身份证号码和证件照是敏感个人信息，只用于核验身份和制作合格证。")),
    (_l("谁能看到"),
     _l("您本人；您报名班次的承办机构；您所在企业的人事联系人（报名、进度、已公布的成绩和合格证）；"
        "辖区市场监管部门。公开核验页只显示打码后的姓名和身份证号码。")),
    (_l("保存期限"),
     _l("账户存续期间保存。培训、考试和合格证记录在合格证有效期届满后再保存五年，以备核验和统计；"
        "注销账户后，其余个人信息在30日内删除或匿名化处理，法律、行政法规另有规定的除外。")),
    (_l("您的权利"),
     _l("您可以查阅、复制、更正和删除您的个人信息，也可以撤回同意（撤回不影响此前处理的效力，但将无法继续"
        "报名和考试）。请联系系统管理员或所在地市场监管部门。")),
)

CONSENT_REQUIRED = _l("请阅读并同意个人信息处理规则")


def notice_json() -> dict:
    return {"version": NOTICE_VERSION, "sections": [{"title": str(t), "text": str(b)} for t, b in NOTICE]}


def record_consent(user: User, channel: str, version: str = NOTICE_VERSION) -> PrivacyConsent:
    consent = PrivacyConsent(user_id=user.id, notice_version=version, channel=channel, consented_at=utcnow())
    db.session.add(consent)
    db.session.flush()
    audit.record(user, "privacy.consent", user, version=version, channel=channel)
    return consent


def latest_consent(user: User) -> PrivacyConsent | None:
    return db.session.scalar(select(PrivacyConsent).where(PrivacyConsent.user_id == user.id)
                             .order_by(PrivacyConsent.consented_at.desc(), PrivacyConsent.id.desc()).limit(1))
