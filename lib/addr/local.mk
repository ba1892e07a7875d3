noinst_LIBRARIES += lib/addr/libaddr.a
lib_addr_libaddr_a_SOURCES = lib/addr/addr.c lib/addr/addr.h
