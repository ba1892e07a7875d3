# tests/members.mk -- member import / export / ls end-to-end, and the
# check that every CLI command and option is in doc/sealist.1.
# (lib/csv registers its unit test and fuzz replay in lib/csv/local.mk.)
TESTS += tests/e2e/members_csv.sh tests/style/cli_doc.sh
