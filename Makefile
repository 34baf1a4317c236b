# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
UV_VERSION := 0.9.30
ACCORDS_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/accords
PYTEST := $(VENV)/bin/pytest

.PHONY: install demo serve test test-sqlite test-postgresql lint benchmarks clean messages

install: $(VENV)/.installed

# The lock file pins every package; uv installs exactly what it lists, compiled to bytecode:
# where PYTHONDONTWRITEBYTECODE is set (as on the CI machines) nothing else writes it, and every
# process started (each `accords` command a test runs) compiled Django, polars and the rest anew,
# about 4 s of its 6.
$(VENV)/.installed: pyproject.toml uv.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --compile-bytecode \
		--python $(VENV)/bin/python
	touch $@

demo: install
	$(VENV)/bin/accords demo
	$(VENV)/bin/accords serve

serve: install
	$(VENV)/bin/accords serve

# The translation catalogues compiled (.po to the committed .mo) in pure Python.
messages: install
	$(VENV)/bin/python -m accords.core.catalogues

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The whole suite runs on SQLite and on PostgreSQL, the two halves side by side (one core each;
# each half's output is printed whole when it ends). A test that touches no database (no
# django_db mark, no db fixture: the safeguards engine, the placement solver, the Merkle tree,
# the case-file reader...) proves the same on either, so it runs once, in the SQLite half
# (`--database-tests-only`, in conftest.py; `make test-postgresql ALL=1` runs them there too);
# so does a test marked `any_database` (the browser's check of the pages' security policy).
#
# Each half runs as if it had begun at an hour when the users' dates differ (`--clock`, in
# conftest.py): at 02:30 UTC Washington's date is still yesterday, at 22:30 UTC Kigali's is
# already tomorrow. A test or a service that takes one zone's date for another's then fails on
# every run, not only on the runs that happen to start at those hours.
#
# The project's own files are compiled to bytecode first, as the packages are (see install).
test: lint
	$(VENV)/bin/python -m compileall -q -j 0 accords
	$(MAKE) --jobs=2 --output-sync=target test-sqlite test-postgresql

test-sqlite: install
	ACCORDS_DATABASE_URL=sqlite:// $(PYTEST) --clock 02:30

test-postgresql: install
	ACCORDS_DATABASE_URL=$(ACCORDS_TEST_DATABASE_URL) $(PYTEST) --clock 22:30 \
		$(if $(ALL),,--database-tests-only)

benchmarks: install
	$(VENV)/bin/python benchmarks/screen.py
	$(VENV)/bin/python benchmarks/placement.py
	$(VENV)/bin/python benchmarks/audit.py
	$(VENV)/bin/python benchmarks/notices.py
	$(VENV)/bin/python benchmarks/counsel.py

clean:
	rm -rf $(VENV)
