# Set-up and checks. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CACHE := .cache
PY315 := $(CACHE)/python3.15/venv/bin/python
BIGSITE := $(CACHE)/bigsite-venv/bin/python
# Playwright drives the system's Chromium; it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test test-slow realworld realworld-doc venv py315 bigsite browser bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[sample,test,servers]'
	touch $@

demo: venv
	cd sample_project && ../$(BIN)/lazyaudit measure --top 15
	cd sample_project && ../$(BIN)/lazyaudit why pandas --no-tracemalloc
	cd sample_project && ../$(BIN)/lazyaudit measure --top 5 --defer pandas,boto3 --no-tracemalloc
	cd sample_project && ../$(BIN)/lazyaudit fix --dry-run --no-tracemalloc

# Python 3.15 (from Debian's unstable packages, unpacked under .cache) with the
# sample project's dependencies, for the tests of the probe and of PEP 810
# rewrites. Tests that need it skip, saying why, when it cannot be had.
py315: venv
	@bash scripts/get-python315.sh $(CACHE)/python3.15 >/dev/null && \
	$(PY315) -m pip install -q --disable-pip-version-check $$($(BIN)/python -c \
		"import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))\
		['project']['optional-dependencies']['sample']))") || \
		echo "warning: Python 3.15 could not be installed; its tests will be skipped" >&2

# A large real Django site (many popular apps, 1000+ modules at startup) in its
# own virtualenv, booted through --python by the tests and benchmarks.
bigsite: $(BIGSITE)

$(BIGSITE): tests/bigsite/requirements.txt
	$(PYTHON) -m venv $(CACHE)/bigsite-venv
	$(CACHE)/bigsite-venv/bin/pip install -q -r tests/bigsite/requirements.txt
	touch $@

# Chromium from Debian's packages, for the tests of the HTML report. Installed
# with apt-get when missing and we are root; otherwise those tests are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			{ apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends chromium chromium-driver; } >/dev/null 2>&1; \
		fi; \
		command -v chromium >/dev/null 2>&1 || \
			echo "warning: Chromium could not be installed; the browser tests will be skipped" >&2; }

test: venv py315 bigsite browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=10

# The corpus of real third-party projects (tests/realworld/projects.py), each in its own
# virtualenv under $(CACHE)/realworld/, set up from PyPI the way its docs say. A second run
# only checks the stamps. REALWORLD_PYTHON picks the Python 3.11 (default: python3.11).
# pretix needs libmagic, installed from Debian's packages when missing and we are root.
realworld: venv
	@ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			{ apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends libmagic1; } >/dev/null 2>&1; \
		fi; }
	$(BIN)/python tests/realworld/install.py

# measure, rank and rank --confirm on every project of the corpus (what lazyaudit printed
# is kept in $(CACHE)/realworld/results/ for `make realworld-doc`); then fix --select on
# real libraries with their own test suites, and 1,000 generated modules (tests/slow).
test-slow: venv realworld
	rm -rf $(CACHE)/realworld/results
	$(BIN)/python -m pytest tests/realworld -n 2 --durations=10 \
		--ignore tests/realworld/test_corpus_total.py
	$(BIN)/python -m pytest tests/realworld/test_corpus_total.py
	$(BIN)/python -m pytest tests/slow -n 2 --durations=10

# docs/realworld.md from the results of the last `make test-slow`.
realworld-doc: venv
	$(BIN)/python scripts/realworld_doc.py

# Every benchmark, side by side measurements printed as ratios (see
# docs/performance.md). memray and ruff are installed from PyPI on first use
# under $(CACHE)/bench-tools. `make bench BENCH_FLAGS=--markdown` prints
# Markdown tables; BENCH_FLAGS=--quick makes one short round of each.
BENCH_FLAGS ?=
bench: venv bigsite browser
	$(BIN)/python benchmarks/overhead.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/truth.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/scan_speed.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/lint_speed.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/fix_speed.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/startup.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/html_report.py
	$(BIN)/python benchmarks/workers.py $(BENCH_FLAGS)
	$(BIN)/python benchmarks/requests.py $(BENCH_FLAGS)

clean:
	rm -rf $(VENV) $(CACHE)
