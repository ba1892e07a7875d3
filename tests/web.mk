# tests/web.mk -- the web server end to end (issue #9): headers, static
# files, one-click unsubscribe, confirmation and subscription pages.
#   include $(srcdir)/tests/web.mk
TESTS += tests/e2e/web.sh
# every route's guards (role, CSRF), inert held posts, path tricks, 413,
# HTTPS and trusted proxies (helper A1)
TESTS += tests/e2e/web_security.sh
# ==== A2: logins, sessions, the throttle, sealist admin ====
TESTS += tests/e2e/web_login.sh
# ==== end A2 ====
# ---- B: admin overview, list page, bounces, keys, queue ----
TESTS += tests/e2e/web_admin_b.sh
# ---- end B ----
# ---- C1: the settings and moderation pages ----
TESTS += tests/e2e/web_admin_c1.sh
# ---- end C1 ----
