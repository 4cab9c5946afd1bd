"""stub"""


def seed_reports() -> None:
    from lms.reports.services import seed_targets

    seed_targets()
