# src/store.mk -- the store (all SQL, migrations), the list settings table,
# the sealist CLI, and their tests.  Included from src/local.mk.

src_libcore_a_SOURCES += \
	src/settings.c src/settings.h \
	src/store.c src/store.h src/store_int.h src/store_member.c src/store_migrate.c \
	src/store_keys.c src/store_inbox.c src/store_bounce.c src/store_delivery.c src/store_request.c src/store_account.c src/account.c src/account.h src/route.c src/route.h src/verdict.c src/verdict.h src/policy.c src/policy.h src/template.c src/template.h src/notice.c src/notice.h src/post.c src/post.h src/pipeline.c src/pipeline.h src/ingest.c src/ingest.h src/keys.c src/keys.h
nodist_src_libcore_a_SOURCES = src/store_schema.c
# ---- B: key work shared by `sealist key` and the web; the admin pages' queries ----
src_libcore_a_SOURCES += src/keycheck.c src/keycheck.h src/store_admin.c
check_PROGRAMS += tests/unit/test_store_admin
tests_unit_test_store_admin_SOURCES = tests/unit/test_store_admin.c
tests_unit_test_store_admin_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_admin_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_store_admin
# ---- end B ----
# store*.c include sqlite3.h; keys.c includes OpenSSL headers.
src_libcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) $(OPENSSL_CFLAGS)

# The migrations, compiled into the programs so that they never depend on
# an install path.  List every db/NNN_name.sql here in order (and in
# db/local.mk for installing); the rule below refuses to build if this
# list and the files in db/ disagree, so a new migration cannot be
# forgotten.
STORE_MIGRATIONS = db/001_init.sql db/002_dkim_keys.sql db/003_pipeline.sql \
	db/004_inbox_digest.sql db/005_queue.sql \
	db/006_bounces.sql db/007_delivery.sql db/008_signing_key.sql \
	db/009_requests.sql db/010_web_accounts.sql \
	db/011_dmarc_reports.sql db/012_report_address.sql \
	db/013_dmarc_feedback.sql db/014_dmarc_report_auth.sql \
	db/015_member_count.sql db/016_dmarc_report_bounces.sql

# Each file becomes one C string literal: backslashes, quotes and '?' (no
# trigraphs in -std=c11) escaped, every line ending in \n.
src/store_schema.c: $(STORE_MIGRATIONS) $(srcdir)/src/store.mk
	$(AM_V_GEN)set -e; \
	found=`cd $(srcdir) && echo db/[0-9]*.sql`; \
	if test "$$found" != "$(STORE_MIGRATIONS)"; then \
	  echo "src/store.mk: STORE_MIGRATIONS ($(STORE_MIGRATIONS)) does not match db/: $$found" >&2; \
	  exit 1; \
	fi; \
	$(MKDIR_P) src; \
	{ \
	  echo '/* Generated from db/[0-9]*.sql by src/store.mk: do not edit. */'; \
	  echo '#include "store.h"'; \
	  for f in $(STORE_MIGRATIONS); do \
	    b=`basename $$f .sql`; \
	    case $$b in \
	    [0-9][0-9][0-9]_[a-z0-9]*) ;; \
	    *) echo "$$f: expected db/NNN_name.sql" >&2; exit 1;; \
	    esac; \
	    v=`echo $$b | sed 's/_.*//'`; \
	    echo "static const char sql_$$v[] = \"\""; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' \
	      -e 's/^/	"/' -e 's/$$/\\n"/' $(srcdir)/$$f; \
	    echo ';'; \
	  done; \
	  echo 'const struct store_migration store_migrations[] = {'; \
	  for f in $(STORE_MIGRATIONS); do \
	    b=`basename $$f .sql`; \
	    v=`echo $$b | sed 's/_.*//'`; \
	    n=`echo $$b | sed 's/^[0-9]*_//'`; \
	    echo "	{`expr $$v + 0`, \"$$n\", sql_$$v},"; \
	  done; \
	  echo '};'; \
	  echo 'const size_t store_migration_count ='; \
	  echo '	sizeof(store_migrations) / sizeof(store_migrations[0]);'; \
	} > $@-t; \
	mv -f $@-t $@
BUILT_SOURCES += src/store_schema.c
CLEANFILES += src/store_schema.c src/store_schema.c-t

# The CLI.
bin_PROGRAMS += src/sealist
src_sealist_SOURCES = src/sealist.c src/cli.h \
	src/cli_common.c src/cli_list.c src/cli_member.c src/cli_key.c src/cli_dkim.c src/cli_auth.c src/cli_held.c src/cli_request.c src/cli_queue.c src/cli_bounces.c
# ==== A2 ====
src_sealist_SOURCES += src/cli_admin.c
# ==== end A2 ====
src_sealist_LDADD = $(CORE_LDADD)
dist_man_MANS += doc/sealist.1

# Tests.
check_PROGRAMS += tests/unit/test_settings tests/unit/test_store
tests_unit_test_settings_SOURCES = tests/unit/test_settings.c
tests_unit_test_settings_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_settings tests/unit/test_store tests/e2e/cli.sh \
	tests/e2e/keys.sh

check_PROGRAMS += tests/unit/test_route_policy
tests_unit_test_route_policy_SOURCES = tests/unit/test_route_policy.c
tests_unit_test_route_policy_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/src \
	-I$(top_srcdir)/tests/unit
tests_unit_test_route_policy_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_route_policy

# ==== A2: web accounts: passwords (account.c) and their store ====
check_PROGRAMS += tests/unit/test_account
tests_unit_test_account_SOURCES = tests/unit/test_account.c
tests_unit_test_account_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/src
tests_unit_test_account_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_account
# ==== end A2 ====
# ---- R2: DMARC aggregate reports received: the store and its tests ----
src_libcore_a_SOURCES += src/store_dmarcrep.c
src_sealist_SOURCES += src/cli_dmarcrep.c
check_PROGRAMS += tests/unit/test_store_dmarcrep
tests_unit_test_store_dmarcrep_SOURCES = tests/unit/test_store_dmarcrep.c
tests_unit_test_store_dmarcrep_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_dmarcrep_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_store_dmarcrep
# ---- end R2 ----
