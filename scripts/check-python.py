"""Stop early, with a clear message, when the Python that creates .venv is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - this runs under any python3, not the venv
    sys.exit(
        f"gongkai needs Python 3.11 or newer; {sys.executable} is "
        f"{sys.version.split()[0]}. Run: make PYTHON=python3.11 ..."
    )
