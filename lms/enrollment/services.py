"""The enrollment service layer in one import, for views, the API and other domains.

For later issues:
- `is_enrolled(user, cohort)` / `enrollment(user, cohort)`: the approved application, if any;
- `progress(application) -> Progress(hours_by_module, hours_done, hours_required, ratio, requirement_met, ...)`;
- `attendance_requirement_met(application)`;
- `can_manage(actor, cohort)` / `require_manage(actor, cohort)`: the cohort's institution staff or an admin.
"""
from lms.enrollment.applications import (  # noqa: F401
    ANSWERABLE, AWAITING, PRIVATE, answer, application_json, apply, awaiting_applications, can_recommend,
    cohort_applications, count, employee_applications, enrollment, add_nomination_warning, get_application,
    get_for_review, is_enrolled, is_reviewer, nominate, nomination_warnings, own_applications, recommend,
    status_counts, visible_applications)
from lms.enrollment.decisions import (  # noqa: F401
    DECIDABLE, WITHDRAWABLE, approve_many, decide, fill_free_seats, record_assignment, withdraw)
from lms.enrollment.attendance import (  # noqa: F401
    Progress, attendance_of, attendance_requirement_met, enrolled_in, mark_attendance, progress)
from lms.enrollment.cohorts import (  # noqa: F401
    attendance_count, can_manage, cohort_by_code, delete_session, get_cohort, get_open_cohort, get_session,
    local_today, open_cohorts, require_manage, save_cohort, save_session, visible_cohorts)
from lms.enrollment.profiles import (  # noqa: F401
    employees_of, profile_facts, profile_json, profile_of, profiles_by_user, save_profile)
