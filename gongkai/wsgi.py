"""WSGI entry point (gunicorn gongkai.wsgi).

Before serving, it runs the configuration checks and opens one database connection: a
production server with a bad DATABASE_URL, an unreachable database or no SECRET_KEY
refuses to start and says why, instead of failing on the first request.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

application = get_wsgi_application()


def _refuse_bad_configuration() -> None:
    from django.conf import settings
    from django.core.checks import run_checks
    from django.db import DatabaseError, connection
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(settings.LANGUAGE_CODE):
        problems = [str(m) for m in run_checks(tags=["gongkai"]) if m.is_serious()]
        if not problems:
            try:
                connection.ensure_connection()
            except DatabaseError as exc:
                problems.append(
                    _("The database cannot be reached: %(error)s") % {"error": str(exc).strip()}
                )
            finally:
                connection.close()
    if problems:
        for problem in problems:
            sys.stderr.write(f"{problem}\n")
        # gunicorn stops the whole server (not just the worker) on exit status 4.
        raise SystemExit(4)


_refuse_bad_configuration()
