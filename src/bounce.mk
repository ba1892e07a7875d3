# src/bounce.mk -- the bounce lifecycle after the disabling: warnings,
# removal, owner notices (src/bounce.c), and its scripted-month test.
# Included from Makefile.am after src/deliver.mk:
#   include $(srcdir)/src/bounce.mk

src_libcore_a_SOURCES += src/bounce.c src/bounce.h

check_PROGRAMS += tests/unit/test_bounce_month
tests_unit_test_bounce_month_SOURCES = tests/unit/test_bounce_month.c
tests_unit_test_bounce_month_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_bounce_month_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_bounce_month
