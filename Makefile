# Conecta: `make run` for a local demo on SQLite, `make test` for the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest workers: the suite is split over the machine's cores.
WORKERS ?= auto

# Source strings are written in Spanish, so the es catalogue maps each one to
# itself; msgen copies new msgids into msgstr after makemessages.
messages-update: venv
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l es --ignore=$(VENV) --ignore=static --ignore=staticfiles --no-obsolete --add-location=file
	# msgmerge guesses 'fuzzy' translations from similar strings: drop the guesses.
	msgattrib --clear-fuzzy --empty --clear-previous locale/es/LC_MESSAGES/django.po -o locale/es/LC_MESSAGES/django.po
	msgen locale/es/LC_MESSAGES/django.po -o locale/es/LC_MESSAGES/django.po

.PHONY: run venv migrate demo messages messages-update test test-fast test-postgres check deploy serve smoke bench load vendor clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

messages: venv
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) -v 0

run: venv messages
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "Conecta en http://$(HOST):$(PORT)/  (SQLite, datos de demostración)"
	@echo "Usuarios (contraseña conecta-demo): gestora, psicologa, trabajador.social, terapeuta, monitoreo, recepcion"
	@echo "gestora pide además un segundo factor: use la clave TOTP o un código de recuperación impresos arriba por seed_demo."
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: venv messages
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest -n $(WORKERS) -q

test-fast: venv messages
	$(PY) -m pytest -n $(WORKERS) -q -m "not browser"

test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/conecta $(MAKE) test

check: venv
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=conecta.example $(PY) manage.py check --deploy --fail-level WARNING

# Deployment (README "Deployment"; .ci/smoke runs exactly these two targets).
# Needs the production environment: DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS...
BIND ?= 127.0.0.1:8001
GUNICORN_WORKERS ?= 3
deploy: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py compilemessages --ignore=$(VENV) -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py check --deploy --fail-level WARNING

# Access log on stdout with each request's id; errors and tracebacks on stderr.
serve: venv
	$(VENV)/bin/gunicorn conecta.wsgi --bind $(BIND) --workers $(GUNICORN_WORKERS) --timeout 60 \
	  --access-logfile - --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss req=%({x-request-id}o)s' \
	  --error-logfile -

# The production path on a fresh PostgreSQL database (needs the local server).
smoke: venv
	bash .ci/smoke

# Page times at 500, 5,000 and 50,000 people on the local PostgreSQL (bench/README.md).
# The databases are kept between runs; BENCH_ARGS="--sizes 500 5000 --repeat 5" for a quicker look.
BENCH_ARGS ?=
bench: venv messages
	$(PY) -m bench.run $(BENCH_ARGS)

# 50 logged-in sessions for 3 minutes against gunicorn on the 5,000-people database.
load: venv
	bash bench/load.sh

# Re-vendor Bootstrap from the npm registry, with the source maps its files reference.
BOOTSTRAP_VERSION ?= 5.3.9
vendor:
	rm -rf /tmp/conecta-vendor && mkdir -p /tmp/conecta-vendor
	cd /tmp/conecta-vendor && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) && tar xzf bootstrap-$(BOOTSTRAP_VERSION).tgz
	cp /tmp/conecta-vendor/package/dist/css/bootstrap.min.css /tmp/conecta-vendor/package/dist/css/bootstrap.min.css.map \
	   /tmp/conecta-vendor/package/dist/js/bootstrap.bundle.min.js /tmp/conecta-vendor/package/dist/js/bootstrap.bundle.min.js.map \
	   /tmp/conecta-vendor/package/LICENSE static/vendor/bootstrap/

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
