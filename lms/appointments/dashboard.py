"""Home-page panel for enterprise HR: its appointments, and those without a qualifying certificate."""
from __future__ import annotations

from lms.appointments import services
from lms.core.permissions import enterprise_ids
from lms.dashboard import panel


@panel("enterprise", "appointments/panels/enterprise.html", order=20)
def enterprise_panel(user) -> dict:
    appointments = [a for a in services.enterprise_appointments(user, enterprise_ids(user)) if a.active]
    qualified = services.qualified(appointments)
    return {"active": len(appointments), "unqualified": sum(1 for a in appointments if not qualified[a.id])}


@panel("enterprise", "appointments/panels/people.html", order=5)
def people_panel(user) -> dict:
    """What HR should look at first: invitations not yet used, certificates about to end."""
    from lms.accounts.invitations import invitations_of, state_of
    from lms.appointments.people import overview

    staff = overview(user)
    return {"employees": len(staff),
            "waiting": sum(1 for i in invitations_of(user) if state_of(i) == "open"),
            "expiring": sum(1 for e in staff for _c, _s, soon in e.certificates if soon)}
