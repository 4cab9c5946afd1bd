# The README's two commands: `make run` and `make test`. Both work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint install install-dev translations update-translations serve screens clean

run: install translations
	$(FLASK) db upgrade
	$(FLASK) lms seed-demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev translations
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed-runtime
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Compiled catalogs (.mo) are build products, not committed.
translations: install
	$(BIN)/pybabel compile -d lms/translations

# After changing user-visible strings: refresh the catalog, then translate the new entries.
# Sorted and without source locations, so branches that add strings merge cleanly.
update-translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 --no-location --sort-output \
		-o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations \
		--no-fuzzy-matching --ignore-obsolete

screens: install-dev translations
	$(BIN)/python scripts/screens.py

serve: install translations
	$(BIN)/gunicorn -w 2 -b $(HOST):$(PORT) wsgi:app

clean:
	rm -rf $(VENV)
