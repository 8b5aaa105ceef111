# companion: `make run` and `make test` are the two set-up commands (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app companion
VENDOR := companion/static/vendor
PO := $(wildcard companion/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: build run test lint format messages bench

## build: everything a server needs besides its database (idempotent, quick when unchanged)
build: $(VENV)/.installed $(VENDOR)/.installed $(MO)
	$(BIN)/python -m companion.assets companion/static

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $(VENDOR)/plotly-basic.min.js
	for lang in fi sv; do \
	  { echo "(function () { var module = { exports: {} };"; \
	    cat node_modules/plotly.js-locales/$$lang.js; \
	    echo "; Plotly.register(module.exports); })();"; } > $(VENDOR)/plotly-locale-$$lang.js; \
	done
	touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

## run: build, migrate the default SQLite database, seed a demo family when new, serve
## The demo lets staff sign in with a password alone until they set up an authenticator
## app (COMPANION_STAFF_SECOND_FACTOR=optional); seed-demo says so. Deployments require it.
run: build
	$(FLASK) db upgrade
	COMPANION_STAFF_SECOND_FACTOR=optional $(FLASK) seed-demo --if-new --port $(PORT)
	COMPANION_STAFF_SECOND_FACTOR=optional $(FLASK) run --debug --host 127.0.0.1 --port $(PORT)

## test: build, then the whole suite as CI runs it
test: build
	bash scripts/test-deps
	$(BIN)/ruff check companion tests bench
	$(BIN)/pytest
	scripts/with-postgres $(BIN)/pytest -m "not browser"

lint:
	$(BIN)/ruff check companion tests bench

format:
	$(BIN)/ruff format companion tests bench

## messages: extract UI strings and update the fi and sv catalogs
## The catalogs carry no source locations and no dates, sorted by msgid, so that changes
## made side by side merge without conflicts; the template is made afresh and not kept.
messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --no-wrap \
	  -o companion/translations/messages.pot .
	$(BIN)/pybabel update -i companion/translations/messages.pot -d companion/translations \
	  --no-fuzzy-matching --no-wrap --ignore-obsolete
	sed -i '/^"POT-Creation-Date: /d; /^"PO-Revision-Date: /d' $(PO)
	rm companion/translations/messages.pot

bench: build
	$(BIN)/python bench/run.py
