# src/web.mk -- the web server (issue #9): src/web.c, its page templates
# (templates/web-*.html, in templates/local.mk) and static files (www/).
# Only the daemon links libmicrohttpd.  Included from Makefile.am after
# src/request.mk:
#   include $(srcdir)/src/web.mk

src_sealistd_SOURCES += src/web.c src/web.h
src_sealistd_CPPFLAGS = $(AM_CPPFLAGS) $(MHD_CFLAGS)
src_sealistd_LDADD += $(MHD_LIBS)

# ---- C2: members page, members CSV shared by the CLI and the web ----
src_libcore_a_SOURCES += src/members_csv.c src/members_csv.h src/store_c2.c
# ---- end C2 ----
