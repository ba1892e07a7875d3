# lib/dkim: DKIM sign and verify (placeholder until the module lands)
noinst_LIBRARIES += lib/dkim/libdkim.a
lib_dkim_libdkim_a_SOURCES = lib/dkim/dkim.h lib/dkim/dkim_placeholder.c
