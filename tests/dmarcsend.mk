# tests/dmarcsend.mk -- DMARC aggregate reports sealist sends (issue 10):
# a scripted day of posts through the real sealistd, `sealist dmarc-report
# send`, and the report mails checked at an SMTP sink (the unit test of
# the interval arithmetic and the store is in src/local.mk's H4 block).
TESTS += tests/e2e/dmarc_send.sh
