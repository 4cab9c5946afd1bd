"""The enrollment service layer in one import, for views, the API and other domains.

For later issues:
- `is_enrolled(user, cohort)` / `enrollment(user, cohort)`: the approved application, if any;
- `progress(application) -> Progress(hours_by_module, hours_done, hours_required, ratio, requirement_met, ...)`;
- `attendance_requirement_met(application)`.
"""
from lms.enrollment.applications import (  # noqa: F401
    AWAITING, application_json, apply, awaiting_applications, confirm_nomination, decide, enrollment,
    fill_free_seats, get_application, is_enrolled, is_reviewer, nominate, own_applications, recommend,
    record_assignment, visible_applications, withdraw)
from lms.enrollment.attendance import (  # noqa: F401
    Progress, attendance_of, attendance_requirement_met, enrolled_in, mark_attendance, progress)
from lms.enrollment.cohorts import (  # noqa: F401
    attendance_count, cohort_by_code, delete_session, get_cohort, get_open_cohort, get_session, local_today, manages,
    open_cohorts, save_cohort, save_session, visible_cohorts)
from lms.enrollment.profiles import profile_json, profile_of, save_profile  # noqa: F401

