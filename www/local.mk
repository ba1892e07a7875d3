EXTRA_DIST += www/README
dist_www_DATA += www/sealist.css
# ---- B: the keys page's copy buttons ----
dist_www_DATA += www/keys.js
# ---- end B ----
