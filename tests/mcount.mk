# tests/mcount.mk -- the member counts of db/015_member_count.sql (kept by
# triggers through every write, and counted by the migration) and the
# members page's rows read from either end (helper H6, issue 9).  The web
# pages themselves: tests/e2e/web_admin_c2.sh (tests/web.mk) and
# bench/web.sh.
#   include $(srcdir)/tests/mcount.mk
check_PROGRAMS += tests/unit/test_member_count
tests_unit_test_member_count_SOURCES = tests/unit/test_member_count.c
tests_unit_test_member_count_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_member_count_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_member_count
