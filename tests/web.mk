# tests/web.mk -- the web server end to end (issue #9): headers, static
# files, one-click unsubscribe, confirmation and subscription pages.
#   include $(srcdir)/tests/web.mk
TESTS += tests/e2e/web.sh
# every route's guards (role, CSRF), inert held posts, path tricks, 413,
# HTTPS and trusted proxies (helper A1)
TESTS += tests/e2e/web_security.sh
# ==== A2: logins, sessions, the throttle, sealist admin ====
TESTS += tests/e2e/web_login.sh
# ==== end A2 ====
# ---- B: admin overview, list page, bounces, keys, queue ----
TESTS += tests/e2e/web_admin_b.sh
# ---- end B ----
# ---- C1: the settings and moderation pages ----
TESTS += tests/e2e/web_admin_c1.sh
# ---- end C1 ----

# ---- C2: the members page (tests/e2e/web_admin_c2.sh) and the members
# CSV module shared by the CLI and the web ----
check_PROGRAMS += tests/unit/test_members_csv
tests_unit_test_members_csv_SOURCES = tests/unit/test_members_csv.c
tests_unit_test_members_csv_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_members_csv_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_members_csv tests/e2e/web_admin_c2.sh
# ---- end C2 ----
