# src/lmtp.mk -- the LMTP server (src/lmtp.c over lib/lmtp), the test
# server program that runs it with file-writing hooks, and its e2e test.
# Included from Makefile.am after src/local.mk.
src_libcore_a_SOURCES += src/lmtp.c src/lmtp.h

check_PROGRAMS += tests/unit/lmtp_server_tool
tests_unit_lmtp_server_tool_SOURCES = tests/unit/lmtp_server_tool.c
tests_unit_lmtp_server_tool_LDADD = $(CORE_LDADD)
TESTS += tests/e2e/lmtp.sh
