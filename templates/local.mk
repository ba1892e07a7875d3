EXTRA_DIST += templates/README
