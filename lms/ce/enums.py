"""The fixed value sets of continuing education (stored as their values, shown as their labels)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum


class ActivityKind(LabeledEnum):
    FORUM = "forum", _l("论坛")
    LECTURE = "lecture", _l("讲座")
    SALON = "salon", _l("沙龙")
    COURSE = "course", _l("课程")


class Category(LabeledEnum):
    PUBLIC = "public", _l("公需科目")
    PROFESSIONAL = "professional", _l("专业科目")


class RegistrationStatus(LabeledEnum):
    REGISTERED = "registered", _l("已报名")
    WAITLISTED = "waitlisted", _l("候补")
    CANCELLED = "cancelled", _l("已取消")


class AttendanceMethod(LabeledEnum):
    QR = "qr", _l("扫码签到")
    LIST = "list", _l("组织方登记")


class CreditSource(LabeledEnum):
    ACTIVITY = "activity", _l("继续教育活动")
    COURSE = "course", _l("网络课程")
    CLAIM = "claim", _l("学时申报")


class ClaimKind(LabeledEnum):
    TRAINING = "training", _l("培训进修")
    PUBLICATION = "publication", _l("论文著作")
    STANDARD = "standard", _l("标准起草")
    TEACHING = "teaching", _l("授课讲学")
    OTHER = "other", _l("其他")


class ClaimStatus(LabeledEnum):
    PENDING = "pending", _l("待审核")
    APPROVED = "approved", _l("已通过")
    REJECTED = "rejected", _l("未通过")


class ClaimDecision(LabeledEnum):
    APPROVE = "approve", _l("通过")
    REJECT = "reject", _l("不通过")


class LessonKind(LabeledEnum):
    VIDEO = "video", _l("视频")
    PDF = "pdf", _l("PDF 文档")


class TranscriptStatus(LabeledEnum):
    VALID = "valid", _l("有效")
    SUPERSEDED = "superseded", _l("已被新版本替代")
