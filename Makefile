# Two commands do everything on a fresh machine:
#   make demo   creates .venv, installs tfgan, trains the default DCGAN on the embedded MNIST
#               subset (offline) and writes runs/demo/{samples/,history.csv,generator.keras}
#   make test   creates .venv, installs tfgan with its extras, runs the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_EPOCHS ?= 20

.PHONY: install demo test clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[export,test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/tfgan train --preset dcgan-mnist --epochs $(DEMO_EPOCHS) --seed 0 --out runs/demo --verbose 2

test: install
	$(BIN)/python -m pytest tests

clean:
	rm -rf $(VENV) runs
