# vlrkit — the whole set-up is `make demo` and `make test` (see README.md).
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
VLR     := $(VENV)/bin/vlr
STAMP   := $(VENV)/.vlrkit-installed
DEMO_DB ?= demo.sqlite3
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: demo test bench lint setup clean snapshots sbom

$(STAMP): pyproject.toml scripts/setup.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

## demo: create the environment, build the demo review and serve the web app on 127.0.0.1
demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(VLR) demo --db $(DEMO_DB)
	$(VLR) serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

## test: the whole test suite on SQLite and on a real PostgreSQL server
test: $(STAMP)
	VENV=$(VENV) bash scripts/test.sh

## bench: the benchmarks; each prints the figures its issue asks for
bench: $(STAMP)
	VENV=$(VENV) bash scripts/bench.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

## sbom: a CycloneDX SBOM of the pinned run-time dependencies (build/sbom.cdx.json)
sbom: $(STAMP)
	$(PY) scripts/sbom.py --out build/sbom.cdx.json

## snapshots: refresh the report snapshot files after an intended change
snapshots: $(STAMP)
	$(VENV)/bin/pytest tests/report -k snapshot --snapshot-update

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
