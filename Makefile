# gongkai: the two entry points are `make demo` and `make test` (see README.md).
# Both create and reuse .venv in the repository and install what is missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
# The demo's e-mails (letters e-mailed to applicants, reminders) are files in var/mail/.
DEMO_MAIL := EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
MO := gongkai/locale/zh_Hans/LC_MESSAGES/django.mo
PO := gongkai/locale/zh_Hans/LC_MESSAGES/django.po

.PHONY: demo test install install-test lint typecheck migrations-check messages clean

# ---- set-up ---------------------------------------------------------------------------
$(PY):
	@scripts/system-deps.sh base
	$(PYTHON) scripts/check-python.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-base

node_modules/.installed: package.json package-lock.json
	@scripts/system-deps.sh node
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO): $(PO) | $(VENV)/.installed-base
	cd gongkai && ../$(PY) ../manage.py compilemessages --verbosity 0

install: $(VENV)/.installed-base node_modules/.installed $(MO)

install-test: $(VENV)/.installed-test node_modules/.installed $(MO)
	@scripts/system-deps.sh test

# ---- demo -----------------------------------------------------------------------------
demo: install
	DEBUG=1 $(MANAGE) migrate --verbosity 0
	DEBUG=1 $(DEMO_MAIL) $(MANAGE) seed_demo
	@echo ""
	@echo "  门户 Portal:       http://$(DEMO_HOST):$(DEMO_PORT)/"
	@echo "  工作平台 Office:   http://$(DEMO_HOST):$(DEMO_PORT)/office/"
	@echo "  后台 Admin:        http://$(DEMO_HOST):$(DEMO_PORT)/admin/  (admin)"
	@echo "  后台任务 Tasks:    a worker (db_worker) and the scheduler (run_scheduler) run beside it"
	@echo ""
	@# As in production (docs/deployment.md): a worker runs the queued tasks and the scheduler
	@# queues the periodic jobs; both are stopped, by their process ids, when runserver exits.
	@DEBUG=1 $(DEMO_MAIL) $(MANAGE) db_worker --no-reload --interval 1 --verbosity 0 & worker=$$!; \
	DEBUG=1 $(DEMO_MAIL) $(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(DEMO_MAIL) $(MANAGE) runserver $(DEMO_HOST):$(DEMO_PORT)

# ---- checks and tests -----------------------------------------------------------------
lint: install-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_messages.py

typecheck: install-test
	$(VENV)/bin/mypy gongkai tests bench

migrations-check: install-test
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

test: install-test lint typecheck migrations-check
	$(PY) scripts/runtests.py $(PYTEST_ARGS)

messages: install
	cd gongkai && ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
