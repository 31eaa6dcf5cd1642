# Two commands do all set-up on a fresh machine:
#   make demo   simulate an org, ingest it and open the dashboard (embedded SQLite)
#   make test   the whole suite, lint and type checks
# Both create .venv in the project root; .venv/bin/coachloop exists afterwards.

PYTHON ?= python3
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy

.PHONY: venv demo test lint typecheck clean lock

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.5"

venv: $(UV)
	$(UV) sync --frozen --extra audio --python $(PYTHON) --quiet

lock: $(UV)
	$(UV) lock --python $(PYTHON)

demo: venv
	$(VENV)/bin/coachloop demo $(DEMO_ARGS)

test: venv
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check coachloop tests bench scripts
	$(VENV)/bin/ruff format --check coachloop tests bench scripts

typecheck: venv
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
