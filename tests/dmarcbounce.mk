# tests/dmarcbounce.mk -- (H7) bounces of the DMARC reports sealist sends
# (src/dmarcbounce.c, db/016): a report sent through the real sealistd to
# the SMTP sink, DSNs for it made with Python's email package
# (tests/tools/make_dsn.py) and sent back over LMTP.
TESTS += tests/e2e/dmarc_bounce.sh
