# tests/dmarcmail.mk -- DMARC aggregate reports received by mail
# (dmarc_report_address, src/dmarcrep_mail.c): the e2e test through the
# real sealistd over LMTP, the unit test of the MIME candidate picker and
# of migration 012, and the picker's fuzz target with its corpus replay.
TESTS += tests/e2e/dmarc_report_mail.sh
