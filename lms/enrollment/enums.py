"""The fixed value sets of enrollment: where an application stands, how attendance was taken.
Stored and sent as their values; shown as their labels. The profile facts that eligibility
rules read (education, title, position level, appointment status) are in `lms.programs.facts`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum


class Gender(LabeledEnum):
    MALE = "male", _l("男")
    FEMALE = "female", _l("女")


class ApplicationStatus(LabeledEnum):
    NOMINATED = "nominated", _l("企业推荐，待本人确认")
    INVITED = "invited", _l("承办机构邀请，待本人确认")
    ELIGIBLE = "eligible", _l("符合条件，待审核")
    REVIEW = "review", _l("需人工审核")
    INELIGIBLE = "ineligible", _l("不符合条件")
    APPROVED = "approved", _l("已录取")
    REJECTED = "rejected", _l("未录取")
    WAITLISTED = "waitlisted", _l("候补")
    WITHDRAWN = "withdrawn", _l("已撤回")
    DECLINED = "declined", _l("已谢绝邀请")


class Decision(LabeledEnum):
    """What institution staff decide on an application."""

    APPROVE = "approve", _l("录取")
    WAITLIST = "waitlist", _l("列入候补")
    REJECT = "reject", _l("不予录取")


class AttendanceStatus(LabeledEnum):
    PRESENT = "present", _l("出勤")
    LATE = "late", _l("迟到")
    ABSENT = "absent", _l("缺勤")
    EXCUSED = "excused", _l("请假")


class AttendanceMethod(LabeledEnum):
    STAFF = "staff", _l("人工")
    QR = "qr", _l("扫码")
    IMPORT = "import", _l("导入")
    API = "api", "API"


# statuses whose session hours count
CREDITED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
