# src/deliver.mk -- SMTP delivery to the relay over libcurl (src/deliver.c)
# and its end-to-end test against tests/tools/smtp_sink.py.  Included from
# Makefile.am after src/outsign.mk:  include $(srcdir)/src/deliver.mk
# Programs linking libcore need $(CURL_LIBS) in CORE_LDADD (src/local.mk).

src_libcore_a_SOURCES += src/deliver.c src/deliver.h src/delivery.c src/delivery.h \
	src/workers.c src/workers.h
# store.mk sets src_libcore_a_CPPFLAGS; add libcurl's to it
src_libcore_a_CPPFLAGS += $(CURL_CFLAGS)

check_PROGRAMS += tests/unit/deliver_tool
tests_unit_deliver_tool_SOURCES = tests/unit/deliver_tool.c
tests_unit_deliver_tool_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_deliver_tool_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/e2e/deliver.sh
