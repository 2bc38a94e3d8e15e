"""WSGI entry point (gunicorn gongkai.wsgi).

Runs the configuration checks first: a production server with a bad DATABASE_URL or no
SECRET_KEY refuses to start and says why, instead of failing on the first request.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

application = get_wsgi_application()


def _refuse_bad_configuration() -> None:
    from django.core.checks import run_checks

    errors = [m for m in run_checks(tags=["gongkai"]) if m.is_serious()]
    if errors:
        for message in errors:
            sys.stderr.write(f"{message}\n")
        # gunicorn stops the whole server (not just the worker) on exit status 4.
        raise SystemExit(4)


_refuse_bad_configuration()
