# Student-loan aid-centre platform on Odoo 18.0 -- see README.md.
#   make run    create .venv, install dependencies, create/update the database, serve :8069
#   make test   fresh throwaway database, every test (plain pytest + pytest-odoo with --odoo-http)
#   make lint   ruff + pylint-odoo

ODOO_PATH ?= /opt/odoo18
VENV      ?= .venv
PYTHON    ?= python3
DB        ?= student_loan
TEST_DB   ?= student_loan_test
PORT      ?= 8069
BUILD     := build
ADDONS    := $(shell ls -d */__manifest__.py 2>/dev/null | xargs -n1 dirname | sort | paste -sd, -)
PY        := $(VENV)/bin/python
ODOO      := $(PY) $(ODOO_PATH)/odoo-bin

export ODOO_PATH

.PHONY: run test test-unit test-odoo lint check venv conf demo-province province-stats province-history province-risk bench clean

check:
	@scripts/check_env.sh

$(VENV)/.installed: requirements.txt requirements-odoo.txt requirements-dev.txt requirements-oca.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q 'setuptools<70' wheel
	$(PY) -m pip install -q --no-build-isolation -r requirements-odoo.txt -r requirements-dev.txt
	@# Odoo itself, editable (as Odoo's docs do for source installs): importable as `odoo`, nothing copied;
	@# the egg-link points at ODOO_PATH (the only write is ODOO_PATH/odoo.egg-info, outside the project)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e $(abspath $(ODOO_PATH))
	@# OCA addons pinned for 18.0 (base_tier_validation, queue_job, auditlog): site-packages/odoo/addons
	$(PY) -m pip install -q --no-deps -r requirements-oca.txt
	@touch $@

venv: check $(VENV)/.installed

conf: venv
	@mkdir -p $(BUILD)
	@scripts/write_conf.sh $(BUILD)/odoo.conf $(PORT)

run: conf
	@scripts/init_db.sh $(BUILD)/odoo.conf $(DB) $(ADDONS)
	@PORT=$(PORT) DB=$(DB) scripts/print_logins.sh
	$(ODOO) -c $(BUILD)/odoo.conf -d $(DB) --db-filter='^$(DB)$$'

test-unit: venv
	$(PY) -m pytest -q -p no:odoo --ignore=tests/integration tests

test: conf
	@scripts/run_tests.sh $(BUILD)/odoo.conf $(TEST_DB) $(ADDONS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pylint --rcfile=.pylintrc $(subst $(comma), ,$(ADDONS))

comma := ,

# --- Translations: regenerate every addon's .pot and merge new msgids into zh_CN.po ---------------
#   make i18n [I18N_DB=student_loan_i18n]   (a database without demo data, created when missing)
I18N_DB ?= student_loan_i18n
.PHONY: i18n
i18n: conf
	scripts/i18n_export.sh $(BUILD)/odoo.conf $(I18N_DB)

clean:
	rm -rf $(BUILD)

# --- Province scale (student_loan_report): synthetic province, R1 statistics, benchmarks -----------
#   make demo-province [DB=student_loan_province] [SEED=2017] [SCALE=1] [FORCE=1]
#   make province-stats [DB=student_loan_province] [AS_OF=YYYY-MM-DD] [XLSX=file.xlsx]
#   make bench [DB=student_loan_province] [NATIONAL_DB=student_loan_national]
#                                              runs every bench/bench_*.py, writes bench/results.json, prints
#                                              one table of every figure with its target and ratio
#   make demo-province DB=student_loan_national SCALE=10   ten province-like regions (national scale)
PROVINCE_DB ?= student_loan_province
PROVINCE_DB_NAME = $(if $(filter command line environment,$(origin DB)),$(DB),$(PROVINCE_DB))
SEED  ?= 2017
SCALE ?= 1

demo-province: conf
	$(PY) data/province_generator.py -c $(BUILD)/odoo.conf -d $(PROVINCE_DB_NAME) --seed $(SEED) --scale $(SCALE) $(if $(FORCE),--force)

province-stats: conf
	@$(ODOO) --addons-path=$(ODOO_PATH)/addons,$(CURDIR) province_stats -c $(BUILD)/odoo.conf -d $(PROVINCE_DB_NAME) \
		$(if $(AS_OF),--as-of $(AS_OF)) $(if $(XLSX),--xlsx $(XLSX))

# the addons path of build/odoo.conf (Odoo, the OCA addons in the venv, this project): a command is found there
CONF_ADDONS_PATH = $(shell sed -n 's/^addons_path = //p' $(BUILD)/odoo.conf)

# make province-history [DB=student_loan_province] [AS_OF=YYYY-MM-DD]   repayment history of the province
#   (installs student_loan_aftercare into the province database when missing; loads once)
province-history: conf
	@$(PY) $(ODOO_PATH)/odoo-bin -c $(BUILD)/odoo.conf -d $(PROVINCE_DB_NAME) -i student_loan_aftercare \
		--without-demo=all --stop-after-init --log-level=warn
	@$(ODOO) --addons-path=$(CONF_ADDONS_PATH) province_history -c $(BUILD)/odoo.conf \
		-d $(PROVINCE_DB_NAME) $(if $(AS_OF),--as-of $(AS_OF))

# make province-risk [DB=student_loan_province] [AS_OF=YYYY-MM-DD] [XLSX=file.xlsx]   (student_loan_aftercare)
province-risk: conf
	@$(ODOO) --addons-path=$(CONF_ADDONS_PATH) province_risk -c $(BUILD)/odoo.conf -d $(PROVINCE_DB_NAME) \
		$(if $(AS_OF),--as-of $(AS_OF)) $(if $(XLSX),--xlsx $(XLSX))

# NATIONAL_DB: the database of `make demo-province DB=$(NATIONAL_DB) SCALE=10` (bench/bench_national.py)
NATIONAL_DB ?= student_loan_national
bench: demo-province
	NATIONAL_DB=$(NATIONAL_DB) $(PY) bench/run_benchmarks.py -c $(BUILD)/odoo.conf -d $(PROVINCE_DB_NAME)

# the table of bench/results.json (as in the README), without running anything
.PHONY: bench-table
bench-table:
	@$(PY) bench/run_benchmarks.py --table-only

# --- HTTP load and database faults (bench/bench_http_load.py) ----------------------------------------
#   make bench-load [BENCH_HTTP_DB=sl_bench_http] [USERS=20,50,100] [DURATION=30] [WORKERS=4] [REPLICA=1]
#   a throwaway database with bench users and applications, the server with --workers on free ports,
#   pg_terminate_backend under load, then 20/50/100 concurrent users; writes bench/results.json "http_load"
.PHONY: bench-load
BENCH_HTTP_DB ?= sl_bench_http
USERS    ?= 20,50,100
DURATION ?= 30
WORKERS  ?= 4

ifeq ($(REPLICA),1)
bench-load: bench-replica
else
bench-load: conf
	$(PY) bench/bench_http_load.py -c $(BUILD)/odoo.conf --db $(BENCH_HTTP_DB) --users $(USERS) \
		--duration $(DURATION) --workers $(WORKERS)
endif

# make bench-load REPLICA=1 [BENCH_REPLICA_DB=sl_bench_replica] [REPLICA_USERS=30] [DURATION=30] [REPLICA_WORKERS=2]
#   (bench/bench_replica.py) a PostgreSQL primary + streaming replica (scripts/pg_replica.sh), two Odoo servers
#   with db_replica_host/port and one shared data_dir; portal and statistics reads on the replica, writes on
#   the primary, per request (X-Odoo-Cursor-Mode); writes bench/results.json "http_load"."replica"
.PHONY: bench-replica
BENCH_REPLICA_DB ?= sl_bench_replica
REPLICA_USERS    ?= 30
REPLICA_WORKERS  ?= 2
bench-replica: conf
	$(PY) bench/bench_replica.py -c $(BUILD)/odoo.conf --db $(BENCH_REPLICA_DB) --users $(REPLICA_USERS) \
		--duration $(DURATION) --workers $(REPLICA_WORKERS)
