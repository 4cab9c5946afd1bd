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
