"""Home-page panels: what waits for whom (filings to endorse for HR, to accept for city bureaus
and admins) and the person's own appointments and filings."""
from __future__ import annotations

from lms.appointments import services as appointments
from lms.dashboard import panel
from lms.talent import access, services


@panel("enterprise", "talent/panels/to_endorse.html", order=15)
def to_endorse(user) -> dict:
    return {"filings": services.awaiting_endorsement(user)}


def _to_accept(user) -> dict | None:
    filings = services.awaiting_acceptance(user)
    if not filings and not access.accepting_regions(user) and not user.has_role("admin"):
        return None  # a district bureau accepts nothing: no empty panel
    return {"filings": filings}


panel("bureau", "talent/panels/to_accept.html", order=15)(_to_accept)
panel("admin", "talent/panels/to_accept.html", order=15)(_to_accept)


@panel("trainee", "talent/panels/trainee.html", order=40)
def trainee_panel(user) -> dict | None:
    filings = services.own_filings(user)
    filed = {f.appointment_id for f in filings}
    waiting = [a for a in appointments.own_appointments(user) if a.active and a.id not in filed]
    return {"filings": filings, "waiting": waiting} if filings or waiting else None
