# tests/browser.mk -- the web pages in headless Chromium driven by
# playwright-core (issue #9): tests/e2e/browser.sh runs the flows of
# tests/browser/flows.js against the real daemon and writes full-page
# screenshots to tests/browser-out/ in the build tree.  Chromium and
# playwright-core come from scripts/deps.sh test (playwright-core globally
# with npm, so that the test also runs from a "make distcheck" tarball).
#   include $(srcdir)/tests/browser.mk
TESTS += tests/e2e/browser.sh
EXTRA_DIST += tests/browser/flows.js

# the screenshots: distcheck wants the build tree empty after distclean
clean-local: clean-browser-out
clean-browser-out:
	-rm -rf tests/browser-out
.PHONY: clean-browser-out
