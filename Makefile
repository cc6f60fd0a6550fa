# Set-up and checks. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CACHE := .cache
PY315 := $(CACHE)/python3.15/venv/bin/python
BIGSITE := $(CACHE)/bigsite-venv/bin/python

.PHONY: demo test venv py315 bigsite bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[sample,test]'
	touch $@

demo: venv
	cd sample_project && ../$(BIN)/lazyaudit measure --top 15
	cd sample_project && ../$(BIN)/lazyaudit why pandas --no-tracemalloc
	cd sample_project && ../$(BIN)/lazyaudit measure --top 5 --defer pandas,boto3 --no-tracemalloc

# Python 3.15 (from Debian's unstable packages, unpacked under .cache) for the
# tests of the probe and of PEP 810 rewrites. Tests that need it skip, saying
# why, when it cannot be had.
py315:
	@bash scripts/get-python315.sh $(CACHE)/python3.15 >/dev/null || \
		echo "warning: Python 3.15 could not be installed; its tests will be skipped" >&2

# A large real Django site (many popular apps, 1000+ modules at startup) in its
# own virtualenv, booted through --python by the tests and benchmarks.
bigsite: $(BIGSITE)

$(BIGSITE): tests/bigsite/requirements.txt
	$(PYTHON) -m venv $(CACHE)/bigsite-venv
	$(CACHE)/bigsite-venv/bin/pip install -q -r tests/bigsite/requirements.txt
	touch $@

test: venv py315 bigsite
	$(BIN)/python -m pytest -n 2 --durations=10

# Every benchmark, side by side measurements printed as ratios (see
# docs/performance.md). memray and ruff are installed from PyPI on first use
# under $(CACHE)/bench-tools. `make bench BENCH_FLAGS=--markdown` prints
# Markdown tables; BENCH_FLAGS=--quick makes one short round of each.
BENCH_FLAGS ?=
bench: venv bigsite
	$(BIN)/python benchmarks/overhead.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/truth.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/scan_speed.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/startup.py $(BENCH_FLAGS)

clean:
	rm -rf $(VENV) $(CACHE)
