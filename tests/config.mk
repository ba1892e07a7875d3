# tests/config.mk -- sealist config export/import (issue #7): the
# end-to-end test, its Mailman 2.1 files (tests/data/mailman, shipped
# with tests/data) and the generator of "every setting changed" files
# (tests/tools, shipped whole by tests/local.mk).
TESTS += tests/e2e/config.sh
