# src/rewrite.mk -- the list's edits to a post (src/rewrite*.c) and their
# tests.  Included from Makefile.am after src/local.mk.

src_libcore_a_SOURCES += src/rewrite.c src/rewrite.h src/rewrite_int.h \
	src/rewrite_from.c src/rewrite_subject.c src/rewrite_body.c

check_PROGRAMS += tests/unit/test_rewrite tests/unit/rewrite_tool
tests_unit_test_rewrite_SOURCES = tests/unit/test_rewrite.c
tests_unit_test_rewrite_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_rewrite_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_unit_rewrite_tool_SOURCES = tests/unit/rewrite_tool.c
tests_unit_rewrite_tool_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_rewrite_tool_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_rewrite tests/e2e/rewrite_dkim.sh
