# src/outsign.mk -- per-recipient finishing of a post (src/outsign.c) and
# one-click unsubscribe tokens (src/token.c), their tests.  Included from
# Makefile.am after src/local.mk:  include $(srcdir)/src/outsign.mk

src_libcore_a_SOURCES += src/token.c src/token.h src/outsign.c src/outsign.h

check_PROGRAMS += tests/unit/test_outsign tests/unit/outsign_tool
tests_unit_test_outsign_SOURCES = tests/unit/test_outsign.c
tests_unit_test_outsign_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_outsign_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_unit_outsign_tool_SOURCES = tests/unit/outsign_tool.c
tests_unit_outsign_tool_CPPFLAGS = $(AM_CPPFLAGS) $(OPENSSL_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_outsign_tool_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_outsign tests/e2e/outsign_dkimpy.sh
