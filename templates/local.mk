EXTRA_DIST += templates/README
dist_templates_DATA += templates/held-moderator.txt templates/held-poster.txt \
	templates/rejected-poster.txt templates/bounce-disabled.txt \
	templates/bounce-owner-disabled.txt templates/bounce-owner-removed.txt
