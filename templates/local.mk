EXTRA_DIST += templates/README
dist_templates_DATA += templates/held-moderator.txt templates/held-poster.txt \
	templates/rejected-poster.txt templates/bounce-disabled.txt \
	templates/bounce-owner-disabled.txt templates/bounce-owner-removed.txt \
	templates/command-results.txt templates/confirm-subscribe.txt \
	templates/confirm-unsubscribe.txt templates/welcome.txt templates/goodbye.txt \
	templates/help.txt templates/info.txt templates/subscribe-approval.txt \
	templates/post-ack.txt
# the web pages (src/web.c), filled by template_render_html
dist_templates_DATA += templates/web-info.html templates/web-oneclick.html \
	templates/web-confirm.html templates/web-message.html templates/web-admin.html
# ==== A2 ====
dist_templates_DATA += templates/web-login.html
# ==== end A2 ====
# ---- B: admin pages (src/web_overview.c, web_bounces.c, web_keys.c, web_queue.c) ----
dist_templates_DATA += templates/web-admin-overview.html templates/web-admin-list.html \
	templates/web-admin-bounces.html templates/web-admin-keys.html \
	templates/web-admin-queue.html
# ---- end B ----
# ---- C1: the settings and moderation pages (src/web_settings.c, src/web_held.c) ----
dist_templates_DATA += templates/web-admin-settings.html templates/web-admin-held.html \
	templates/web-admin-held-one.html
# ---- end C1 ----
# ---- C2: the admin members page ----
dist_templates_DATA += templates/web-admin-members.html
# ---- end C2 ----
# ---- H2: the DMARC report pages (src/web_dmarc.c) ----
dist_templates_DATA += templates/web-admin-dmarc.html
# ---- end H2 ----
