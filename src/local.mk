# src/: the daemon, the CLI and the list logic.
noinst_LIBRARIES += src/libcore.a
src_libcore_a_SOURCES = \
	src/conf.c src/conf.h \
	src/log.c src/log.h
CORELIBS = src/libcore.a $(LIBSEALIST)
CORE_LDADD = $(CORELIBS) $(SQLITE_LIBS) $(OPENSSL_LIBS) $(CURL_LIBS) $(PSL_LIBS) \
	$(RESOLV_LIBS) $(XML2_LIBS) $(ARCHIVE_LIBS)
# ==== H3: lib/dmarcrep's writer gzips reports with zlib (dmarcrep_gzip) ====
CORE_LDADD += $(ZLIB_LIBS)
# ==== end H3 ====

sbin_PROGRAMS += src/sealistd
src_sealistd_SOURCES = src/sealistd.c
src_sealistd_LDADD = $(CORE_LDADD)

# the store, the list settings table and the sealist CLI
include $(srcdir)/src/store.mk

check_PROGRAMS += tests/unit/test_conf
tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_conf_LDADD = $(CORELIBS) $(TESTLIBS)
TESTS += tests/unit/test_conf

dist_man_MANS += doc/sealistd.8 doc/sealist.conf.5
TESTS += tests/e2e/daemon.sh tests/e2e/pipeline.sh tests/e2e/crash.sh

# sealist config export/import (issue #7): settings files, Mailman 2.1's format.
src_libcore_a_SOURCES += src/config_file.c src/config_file.h src/store_config.c
src_sealist_SOURCES += src/cli_config.c

# ---- H1: DMARC aggregate reports received by mail (issue 10) ----
# dmarcrep_import: one report into the store, for the CLI and the mail
# handler; dmarcrep_mail: the report address's handler and its MIME
# candidate picker; store_dmarcmail: which list the address is filed
# under.  Their tests are in tests/dmarcmail.mk.
src_libcore_a_SOURCES += src/dmarcrep_import.c src/dmarcrep_import.h \
	src/dmarcrep_mail.c src/dmarcrep_mail.h src/store_dmarcmail.c
# ---- end H1 ----
# ---- H4: DMARC aggregate reports sealist sends (issue 10) ----
src_libcore_a_SOURCES += src/store_dmarcout.c src/dmarcout.c src/dmarcout.h
src_sealist_SOURCES += src/cli_dmarcout.c
check_PROGRAMS += tests/unit/test_dmarcout
tests_unit_test_dmarcout_SOURCES = tests/unit/test_dmarcout.c
tests_unit_test_dmarcout_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_dmarcout_LDADD = $(CORE_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_dmarcout
# ---- end H4 ----
# ---- H7: bounces of the DMARC reports sealist sends (issue 10) ----
src_libcore_a_SOURCES += src/dmarcbounce.c src/dmarcbounce.h src/store_dmarcbounce.c
# ---- end H7 ----
# ---- H6: the members page of a 100,000-member list, faster (issue 9) ----
# store_keep: for the web's per-thread connection (web.c); the member
# counts are db/015_member_count.sql.  Tests in tests/mcount.mk.
src_libcore_a_SOURCES += src/store_keep.c
# ---- end H6 ----
