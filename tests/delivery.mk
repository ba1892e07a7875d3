# tests/delivery.mk -- end-to-end tests of the delivery workers
# (src/delivery.c) through the real sealistd: a 1,000-member fan-out
# checked by dkimpy/authheaders (tests/e2e/delivery.sh), a real Postfix
# relay with STARTTLS and Cyrus SASL (tests/e2e/delivery_relay.sh; needs
# Debian's sasl2-bin and libsasl2-modules), and the relay's refusals,
# retries and give-ups row by row (tests/e2e/delivery_retry.sh), and
# SIGKILLs in the middle of a 10,000-member fan-out: everyone gets the post,
# duplicates bounded by the batches in flight (tests/e2e/crash_fanout.sh,
# CRASH_FANOUT_MEMBERS to shrink it; tests/tools/count_sink.py).  They use
# tests/tools/smtp_sink.py and tests/oracle/, shipped by tests/local.mk
# and tests/dkim.mk; the scripts themselves are shipped by tests/local.mk's
# $(filter %.sh,$(TESTS)).
TESTS += tests/e2e/delivery.sh tests/e2e/delivery_relay.sh tests/e2e/delivery_retry.sh \
	tests/e2e/crash_fanout.sh
