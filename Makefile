# Two commands do everything on a fresh machine with Python 3.11:
#   make demo   set up, run the bundled pre-summit and busan-deal scenarios, write a chart
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test install lint bench schema docs golden data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

# Reinstall the package itself (not its dependencies) so tests see the current sources
# exactly as a wheel ships them, scenarios and data included.
install: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .

demo: install
	$(BIN)/tariffsim run pre-summit --no-events
	$(BIN)/tariffsim run busan-deal
	$(BIN)/tariffsim plot pre-summit busan-deal talks-collapse -o busan-scenarios.png

test: install
	cd tests && ../$(BIN)/python -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check tariffsim tests tools benchmarks examples
	$(BIN)/ruff format --check tariffsim tests tools benchmarks examples

# The targets with PASS/MISS (about a minute), then growth in measures, moves and triggers at
# the smaller sizes (half a minute; `$(BIN)/python benchmarks/bench_scale.py`: full sizes, 2 min)
bench: install
	$(BIN)/python benchmarks/bench_targets.py
	$(BIN)/python benchmarks/bench_scale.py --quick

schema: install
	$(BIN)/tariffsim schema -o scenarios/scenario.schema.json

docs: install
	$(BIN)/python tools/make_reference.py

golden: install
	cd tests && ../$(BIN)/python -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml --update-golden -m golden

data:
	$(BIN)/python tools/derive_data.py

clean:
	rm -rf $(VENV) build dist *.egg-info
