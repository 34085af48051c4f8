# Two commands do everything on a fresh machine:
#   make demo   creates .venv, installs tfgan, trains the default DCGAN on the embedded MNIST
#               subset (offline) for 10 minutes of training (the whole epochs that fit;
#               DEMO_SECONDS) and writes runs/demo/{samples/,history.csv,gan.keras,...}
#   make test   creates .venv, installs tfgan with its extras (export, test, restoration),
#               runs the test suite
# Both install the exact versions in constraints.txt (those of the last green test run).
# CI (.ci/run) also runs
#   make wheel-check   builds the sdist and the wheel, installs the wheel (not -e) into a
#                      fresh virtualenv in a temporary folder, and runs a short tfgan train +
#                      tfgan evaluate from outside the checkout (scripts/check_wheel.sh)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_SECONDS ?= 600
DEMO_EPOCHS ?= 30

.PHONY: install demo test wheel-check clean

$(VENV)/.installed: setup.cfg pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[export,test,restoration]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/tfgan train --preset dcgan-mnist --time-budget $(DEMO_SECONDS) --epochs $(DEMO_EPOCHS) \
		--seed 0 --out runs/demo --verbose 2

# Two processes (pytest-xdist): the suite is mostly single-threaded graph tracing, so the
# second core roughly halves it; modules with one expensive module fixture stay on one
# worker (`xdist_group` marks, --dist loadgroup). The 25 slowest tests are listed at the end
# (CI must stay under 20 minutes).
test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25 tests

wheel-check:
	PYTHON=$(PYTHON) scripts/check_wheel.sh

clean:
	rm -rf $(VENV) runs
