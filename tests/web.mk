# tests/web.mk -- the web server end to end (issue #9): headers, static
# files, one-click unsubscribe, confirmation and subscription pages.
#   include $(srcdir)/tests/web.mk
TESTS += tests/e2e/web.sh
# ---- B: admin overview, list page, bounces, keys, queue ----
TESTS += tests/e2e/web_admin_b.sh
# ---- end B ----
