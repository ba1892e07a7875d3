# tests/web.mk -- the web server end to end (issue #9): headers, static
# files, one-click unsubscribe, confirmation and subscription pages.
#   include $(srcdir)/tests/web.mk
TESTS += tests/e2e/web.sh
# ---- C1: the settings and moderation pages ----
TESTS += tests/e2e/web_admin_c1.sh
# ---- end C1 ----
