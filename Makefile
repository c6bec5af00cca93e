# The course's commands. `make lab` and `make test` work on a fresh machine:
# both create .venv on first use; later runs reuse it (a stamp file records the install).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt

.PHONY: lab test test-retrain test-perturbed robust practice lint format export notebooks setup clean bench reproducible weights data-manifest site

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@

## lab: open the course in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

## test: lint, unit tests, export check, every notebook under nbval, in the browser, on Colab's
## stack, and from the installed wheel with this CPU's numerics perturbed (tests/test_installed.py).
## Two pytest workers (pytest-xdist), a test file each at a time; then nbval, two notebooks at a time
test: $(STAMP)
	$(BIN)/ruff check conftest.py helpers tests tools notebooks practice benchmarks
	$(BIN)/ruff format --check conftest.py helpers tests tools notebooks practice benchmarks
	$(BIN)/python -m pytest -m "not retrain" -n 2 --dist loadfile tests
	$(BIN)/python -m pytest -n 2 --dist loadfile notebooks

## test-retrain: retrain the shipped seq2seq weights with their recipes and compare the quality
## (tests/test_weights.py, marker retrain; about 5 minutes on 2 cores, so not in make test)
test-retrain: $(STAMP)
	$(BIN)/python -m pytest -m retrain tests/test_weights.py

## test-perturbed: nbval itself on every notebook as another CPU would compute it (tools/perturbed_env.py);
## kernels without SIMD run slower, so the per-notebook budget is doubled
test-perturbed: $(STAMP)
	eval "$$($(BIN)/python tools/perturbed_env.py)" && \
	  NOTEBOOK_BUDGET_S=90 $(BIN)/python -m pytest notebooks

## robust: every notebook under COURSE_SEED=1..5, a table of each asserted claim per seed
robust: $(STAMP)
	$(BIN)/python tools/robust.py

## lint / format: ruff on the package, the tests and the notebooks
lint: $(STAMP)
	$(BIN)/ruff check conftest.py helpers tests tools notebooks benchmarks
format: $(STAMP)
	$(BIN)/ruff format conftest.py helpers tests tools notebooks benchmarks
	$(BIN)/ruff check --fix conftest.py helpers tests tools notebooks benchmarks

## export: regenerate helpers/layers/ from the cells marked `#| export`
export: $(STAMP)
	$(BIN)/python tools/export.py

## notebooks: re-execute every notebook in place (top to bottom), then export and practice
notebooks: $(STAMP)
	$(BIN)/python tools/execute.py notebooks/*.ipynb
	$(BIN)/python tools/export.py
	$(BIN)/python tools/practice.py

## practice: regenerate practice/ (the learner's versions) from the worked notebooks
practice: $(STAMP)
	$(BIN)/python tools/practice.py

## reproducible: every notebook under nbval twice in a row; both runs must give the committed text
reproducible: $(STAMP)
	$(BIN)/python -m pytest notebooks
	$(BIN)/python -m pytest notebooks

## weights: retrain the encoder-decoder models of notebooks 13-14 -> data/weights/ (a few minutes),
## then record their checksums (data-manifest)
weights: $(STAMP)
	$(BIN)/python tools/train_weights.py
	$(BIN)/python tools/data_manifest.py

## data-manifest: record the size and SHA-256 of every file in data/ -> data/MANIFEST.json
data-manifest: $(STAMP)
	$(BIN)/python tools/data_manifest.py

## site: the course website from the committed notebooks (no execution, no network) -> _build/site/;
## open _build/site/index.html, or serve it: python -m http.server -d _build/site
site: $(STAMP)
	$(BIN)/python tools/build_site.py

## bench: NumPy RNN/LSTM/GRU against torch.nn on the CPU -> benchmarks/BENCHMARKS.md (no asserts)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_layers.py

clean:
	rm -rf $(VENV) build dist _build *.egg-info
