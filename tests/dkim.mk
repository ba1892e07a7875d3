# tests/dkim.mk -- DKIM interoperability tests: sealist against dkimpy and
# OpenDKIM (tests/e2e/dkim_interop.sh, corpus in tests/data/dkim-interop)
# and over dkimpy's own test cases (tests/e2e/dkim_vectors.sh, data in
# tests/data/dkimpy).  The oracle helpers they run live in tests/oracle.
TESTS += tests/e2e/dkim_interop.sh tests/e2e/dkim_vectors.sh
EXTRA_DIST += tests/oracle
