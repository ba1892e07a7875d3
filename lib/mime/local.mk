# lib/mime: bounded MIME reader (Content-Type, Content-Transfer-Encoding,
# multipart parts as byte ranges, the tree walk) and the encoders for text
# a list adds (quoted-printable, RFC 2047 words).
noinst_LIBRARIES += lib/mime/libmime.a
lib_mime_libmime_a_SOURCES = lib/mime/mime.h lib/mime/mime_ctype.c lib/mime/mime_decode.c \
	lib/mime/mime_part.c lib/mime/mime_encode.c lib/sealist_limits.h

MIME_LDADD = lib/mime/libmime.a lib/msg/libmsg.a lib/buf/libbuf.a

check_PROGRAMS += tests/unit/test_mime
tests_unit_test_mime_SOURCES = tests/unit/test_mime.c
tests_unit_test_mime_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_mime_LDADD = $(MIME_LDADD) $(TESTLIBS)
TESTS += tests/unit/test_mime

# The fuzz target, replayed over its stored corpus on every "make check".
check_PROGRAMS += tests/fuzz/replay_mime
tests_fuzz_replay_mime_SOURCES = tests/fuzz/fuzz_mime.c tests/fuzz/replay.c
tests_fuzz_replay_mime_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit \
	-DFUZZ_CORPUS='"tests/fuzz/corpus/mime"'
tests_fuzz_replay_mime_LDADD = $(MIME_LDADD) $(TESTLIBS)
TESTS += tests/fuzz/replay_mime

if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_mime
tests_fuzz_fuzz_mime_SOURCES = tests/fuzz/fuzz_mime.c
tests_fuzz_fuzz_mime_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_LDADD = $(MIME_LDADD)
endif
