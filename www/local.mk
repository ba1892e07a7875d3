EXTRA_DIST += www/README
dist_www_DATA += www/sealist.css
