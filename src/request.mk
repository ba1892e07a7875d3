# src/request.mk -- mail commands (src/request.c: LIST-request, -join,
# -leave, subscription tokens of -confirm), their store (src/store_request.c,
# db/009_requests.sql), and their tests.  Included from Makefile.am after
# src/reqparse.mk:
#   include $(srcdir)/src/request.mk

src_libcore_a_SOURCES += src/request.c src/request.h

check_PROGRAMS += tests/unit/test_request tests/unit/test_template
tests_unit_test_request_SOURCES = tests/unit/test_request.c
tests_unit_test_request_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_request_LDADD = $(CORE_LDADD) $(TESTLIBS)
tests_unit_test_template_SOURCES = tests/unit/test_template.c
tests_unit_test_template_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_template_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_request tests/unit/test_template
TESTS += tests/e2e/request.sh tests/e2e/commands.sh
