# tests/dmarcrep.mk -- DMARC aggregate reports received: sealist
# dmarc-report import and summary end-to-end over the corpus
# tests/data/dmarc-reports (lib/dmarcrep registers its own unit test and
# fuzz replay; the store's unit test is in src/store.mk).
TESTS += tests/e2e/dmarc_report.sh
