# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run serve test test-scale lint format check screenshots bench bench-scale lock clean

# The first Python >= 3.12 found: $PYTHON, then the usual names, then pyenv's versions folder.
$(PY):
	@python=""; \
	for candidate in "$$PYTHON" python3.13 python3.12 python3 python \
	    $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  [ -n "$$candidate" ] || continue; \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then python="$$candidate"; break; fi; \
	  if [ "$$candidate" = "$$PYTHON" ]; then echo "PYTHON=$$PYTHON is not Python 3.12 or newer." >&2; exit 1; fi; \
	done; \
	if [ -z "$$python" ]; then \
	  echo "No Python 3.12 or newer found. Install Python 3.12+ (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 ...'." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$python ($$("$$python" --version))"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed-run: requirements.lock | $(PY)
	$(PIP) install --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(PY)
	$(PIP) install --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py ensure_demo_users
	@echo "Serving the wizard on http://127.0.0.1:$(PORT)/ (sandbox upstream; Ctrl+C stops)"
	@# The background worker (checks of unknown outcomes) runs beside the web server and stops with it.
	PORT=$(PORT) $(PY) manage.py worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# As production runs it (README, "Deploying"): the Procfile's gunicorn and worker under honcho.
# The settings come from the environment; with none, a local copy against the sandbox.
serve: $(VENV)/.installed-run
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	@# honcho gives the worker its own PORT: WS_SANDBOX_URL keeps it calling the web server's sandbox.
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) \
	  WS_SANDBOX_URL="$${WS_SANDBOX_URL:-http://127.0.0.1:$(PORT)/sandbox}" $(VENV)/bin/honcho start

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Only the scale-out tests (tests/scale: two servers, two workers, PostgreSQL and Redis).
test-scale: $(VENV)/.installed-dev
	$(PY) -m pytest -m scale tests/scale $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy onboarding

format: $(VENV)/.installed-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Screenshots of every step at desktop and phone size, into screenshots/ (git-ignored).
screenshots: $(VENV)/.installed-dev
	SCREENSHOTS=1 $(PY) -m pytest tests/e2e -k screenshots $(PYTEST_ARGS)

# The benchmark (README, "Benchmarks"): N onboardings through the app under gunicorn, against
# the sandbox served apart with LATENCY seconds per call; SQLite unless DATABASE_URL is set.
N ?= 20
LATENCY ?= 0.2
bench: $(VENV)/.installed-run
	@N="$(N)" LATENCY="$(LATENCY)" DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" \
	  $(PY) -m bench.run

# The scale benchmark (README, "Benchmarks", "Scale"): N onboardings (default 100,000, with a
# reference run at 10,000 beside it) filled through the models, then the dashboard, search,
# filters, a step, check answers and the resolve page timed beside the floor view.
bench-scale: $(VENV)/.installed-run
	@N="$(if $(filter command line environment,$(origin N)),$(N),100000)" \
	  REFERENCE_N="$(REFERENCE_N)" ROUNDS="$(ROUNDS)" DATABASE_URL="$(DATABASE_URL)" \
	  REDIS_URL="$(REDIS_URL)" $(PY) -m bench.scale.run

# Re-pin requirements*.lock from pyproject.toml's ranges, every file with its sha256 hashes, with
# pip-tools in a throwaway virtualenv (kept pins stay unless a range no longer allows them). The
# dev lock is the complete set, the runtime pins as they are plus the dev tools: --require-hashes
# wants every package of an install hashed in the files it is given.
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
  --no-emit-find-links --no-emit-trusted-host
lock: | $(PY)
	rm -rf build/lock && $(PY) -m venv build/lock
	build/lock/bin/pip install -q pip-tools
	build/lock/bin/pip-compile $(LOCK_FLAGS) --output-file requirements.lock pyproject.toml
	build/lock/bin/pip-compile $(LOCK_FLAGS) --extra dev --constraint requirements.lock \
	  --output-file requirements-dev.lock pyproject.toml
	rm -rf build

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache screenshots
