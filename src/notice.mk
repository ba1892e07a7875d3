# src/notice.mk -- the unit test of notices and their templates
# (src/notice.c, src/template.c): per-list and per-domain overrides,
# 7bit or quoted-printable bodies.  Included from Makefile.am after
# src/bounce.mk:  include $(srcdir)/src/notice.mk

check_PROGRAMS += tests/unit/test_notice
tests_unit_test_notice_SOURCES = tests/unit/test_notice.c
tests_unit_test_notice_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_notice_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_notice
