"""Imports every model module so metadata is complete (Alembic, create_all)."""
from lms.accounts import models as accounts  # noqa: F401
from lms.auth import models as auth  # noqa: F401
from lms.core import audit  # noqa: F401
from lms.orgs import models as orgs  # noqa: F401
from lms.banks import models as banks  # noqa: F401
from lms.programs import models as programs  # noqa: F401
from lms.enrollment import models as enrollment  # noqa: F401
from lms.exams import models as exams  # noqa: F401
from lms.core import jobs  # noqa: F401
from lms.certificates import models as certificates  # noqa: F401
