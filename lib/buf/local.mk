noinst_LIBRARIES += lib/buf/libbuf.a
lib_buf_libbuf_a_SOURCES = lib/buf/buf.c lib/buf/buf.h lib/sealist_limits.h

check_PROGRAMS += tests/unit/test_buf
tests_unit_test_buf_SOURCES = tests/unit/test_buf.c
tests_unit_test_buf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_buf_LDADD = lib/buf/libbuf.a $(TESTLIBS)
TESTS += tests/unit/test_buf
