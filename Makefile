# khabar: `make demo` and `make test` set everything up in a virtualenv (.venv) first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench gazetteer train-ner clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,data,dask]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/khabar demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

gazetteer: $(STAMP)
	$(BIN)/python scripts/build_gazetteer.py

# Rebuilds resources/models/ner-crf.* from ../shared/data/il-ner-urdu (see its README).
train-ner: $(STAMP)
	$(BIN)/python scripts/train_ner.py

clean-venv:
	rm -rf $(VENV)
