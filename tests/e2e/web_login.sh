#!/bin/sh
# web_login.sh -- web admin logins through the real sealistd and curl:
# the login form and its double-submit cookie, the session cookie's
# flags, what the database keeps of a session (only the SHA-256 of its
# id), wrong passwords (401, the same for unknown names), logout, the
# throttle per account name and per client address (429 with
# Retry-After; even the right password is refused while locked; a
# client behind a trusted proxy is told apart by X-Forwarded-For), idle
# and absolute expiry, and what `sealist admin` does to live sessions
# (passwd ends them, remove --list takes the role away).  Pages of other
# modules (/admin/, the list pages) are used when `sealistd --web-routes`
# lists them; when they are missing the checks that need them are
# skipped with a loud reason.  A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
sealistd="$top_builddir/src/sealistd"
sealist="$top_builddir/src/sealist"
py=/usr/bin/python3

need_tools curl sqlite3 $py

db=$scratch/sealist.db
cp -r "$top_srcdir/templates" "$scratch/templates"
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
sql() { sqlite3 -cmd ".timeout 10000" "$db" "$1"; }

# serve IDLE LIFE -- write the configuration and start the daemon on a free port
serve() {
	cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen =
web_listen = 127.0.0.1:1
templates_dir = $scratch/templates
www_dir = $top_srcdir/www
pipeline_workers = 1
smtp_relay = smtp://127.0.0.1:9
log_level = info
web_trusted_proxies = 127.0.0.1
web_session_idle = $1
web_session_life = $2
CONF
	: >"$scratch/daemon.log"
	web_serve "$scratch/sealist.conf" "$scratch/daemon.log"
}
stop() { kill "$daemon" 2>/dev/null; wait_gone "$daemon" 10; }

# cookie NAME COOKIE -- the Set-Cookie line of COOKIE in response NAME
cookie() {
	grep -i "^Set-Cookie: $2=" "$scratch/$1.head" | tr -d '\r' | head -n 1
}
# form_token NAME -- the csrf field of the page in response NAME
form_token() {
	sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$scratch/$1.body" | head -n 1
}
# try NAME JAR USER PASS [CURL ARGS...] -- GET the form, POST it; the POST's status
try() {
	t_name=$1 t_jar=$2 t_user=$3 t_pass=$4; shift 4
	fetch "$t_name.form" -c "$t_jar" -b "$t_jar" "$@" "$base/login" >/dev/null
	fetch "$t_name" -c "$t_jar" -b "$t_jar" "$@" --data-urlencode "user=$t_user" \
		--data-urlencode "password=$t_pass" \
		--data-urlencode "csrf=$(form_token "$t_name.form")" "$base/login"
}
# logged_in JAR -- the jar's session is live: GET /login sends it on (303)
logged_in() {
	[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$1" "$base/login")" = 303 ]
}
# sid JAR -- the session id in the jar
sid() { awk '$6 == "sealist_session" { print $7 }' "$1" | tail -n 1; }
# sid_hash JAR -- what the database keeps of it: SHA-256, upper-case hex
sid_hash() {
	$py -c "import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest().upper())" "$(sid "$1")"
}
# rows JAR -- 1 if the jar's session has its row in the database, else 0
rows() { sql "SELECT count(*) FROM web_sessions WHERE hex(id_hash) = '$(sid_hash "$1")'"; }
# session_csrf JAR -- the session's form token: from /admin/'s logout form
# when that page exists, else (this tree has no /admin/ page yet) from the
# database, which keeps it as it is.
session_csrf() {
	if [ "$has_admin" = yes ]; then
		web_csrf "$1" "$base/admin/"
	else
		sql "SELECT csrf FROM web_sessions WHERE hex(id_hash) = '$(sid_hash "$1")'"
	fi
}
# eval_ok TEXT -- run TEXT as shell code here (it may call the functions above)
eval_ok() { eval "$1"; }

# the accounts, before the daemon runs
cat >"$scratch/sealist.conf" <<CONF
database = $db
web_listen =
CONF
check "a list" cli list create dev@example.org --owner boss@example.org
printf 'root pass 1\n' >"$scratch/root.pw"
printf 'alice pass\n' >"$scratch/alice.pw"
printf 'root pass 2\n' >"$scratch/root2.pw"
check "a site admin" cli admin add root --password-file "$scratch/root.pw"
check "an owner (password on stdin)" eval_ok "echo 'alice pass' | \"$sealist\" -c \"$scratch/sealist.conf\" admin add alice --list dev@example.org --role owner"
check "another owner" cli admin add bob --list dev@example.org --role owner --password-file "$scratch/alice.pw"
check "an account for the timing" cli admin add timer --list dev@example.org --role moderator --password-file "$scratch/alice.pw"
cli admin ls >"$scratch/ls"
check "admin ls shows accounts and roles" grep -qx "alice	owner:dev@example.org" "$scratch/ls"
check "  and the site admin" grep -qx "root	site-admin" "$scratch/ls"
check_fails "a short password is refused" eval_ok "echo short | \"$sealist\" -c \"$scratch/sealist.conf\" admin add carol"
check "the hash is scrypt with its parameters" [ "$(sql "SELECT password_hash LIKE '\$scrypt\$ln=15,r=8,p=1\$%' FROM web_users WHERE name = 'root'")" = 1 ]

# sealist admin: usage, the terminal, what it refuses
check "admin ls names no password" eval_ok "! grep -q 'pass' '$scratch/ls'"
cli admin add dave --list dev@example.org 2>/dev/null
check "--list without --role is a usage error (2)" [ $? = 2 ]
cli admin add dave --list dev@example.org --role king 2>/dev/null
check "--role king is a usage error (2)" [ $? = 2 ]
cli admin add 'da ve' --password-file "$scratch/root.pw" 2>/dev/null
check "a name with a blank is a usage error (2)" [ $? = 2 ]
cli admin passwd nobody --password-file "$scratch/root.pw" 2>/dev/null
check "passwd of no account fails (1)" [ $? = 1 ]
cli admin remove bob --list nope@example.org 2>/dev/null
check "remove --list of no list fails (1)" [ $? = 1 ]
$py "$top_srcdir/tests/tools/answer_tty.py" "tty pass 12" "tty pass 12" "$sealist" -c "$scratch/sealist.conf" admin add ttyuser >"$scratch/tty.out" 2>&1
check "on a terminal the password is asked twice" eval_ok "[ $? = 0 ] && grep -q 'New password for ttyuser' '$scratch/tty.out' && grep -q 'same again' '$scratch/tty.out'"
check "  without echo" eval_ok "! grep -q 'tty pass' '$scratch/tty.out'"
$py "$top_srcdir/tests/tools/answer_tty.py" "tty pass 12" "tty pass 13" "$sealist" -c "$scratch/sealist.conf" admin add ttyuser2 >"$scratch/tty2.out" 2>&1
check "two different answers add nobody (1)" eval_ok "[ $? = 1 ] && grep -q 'differ' '$scratch/tty2.out' && ! cli admin ls | grep -q ttyuser2"
cli admin remove ttyuser >/dev/null

check "the daemon serves the web" serve 2h 12h
at_exit 'kill $daemon 2>/dev/null'
routes=$("$sealistd" --web-routes)
has_admin=no
echo "$routes" | grep -q '^GET /admin/ logged_in$' && has_admin=yes
list_page=$(echo "$routes" | sed -n 's|^GET \(/admin/lists/{list}/[^ ]*\) list_[a-z]*$|\1|p' \
	| head -n 1 | sed 's/{list}/dev@example.org/')
[ "$has_admin" = yes ] || diag "SKIP: no GET /admin/ route in this tree (web_overview.c not merged): the csrf comes from the database, /admin/ checks are skipped"
[ -n "$list_page" ] || diag "SKIP: no GET /admin/lists/{list}/... route in this tree: the role checks are skipped"

# the form
jar=$scratch/j1
code=$(fetch form -c "$jar" -b "$jar" "$base/login?next=/admin/lists/dev@example.org/")
check "GET /login is 200" [ "$code" = 200 ]
check "  form id=login posting to /login" grep -q '<form id="login" method="post" action="/login">' "$scratch/form.body"
for f in user password csrf next; do
	check "  field $f" grep -q "name=\"$f\"" "$scratch/form.body"
done
check "  labels for user and password" eval_ok "grep -q '<label for=\"login-user\">' '$scratch/form.body' && grep -q '<label for=\"login-password\">' '$scratch/form.body'"
check "  button Log in" grep -q '<button type="submit">Log in</button>' "$scratch/form.body"
check "  next kept (a local admin path)" grep -q 'name="next" value="/admin/lists/dev@example.org/"' "$scratch/form.body"
lc=$(cookie form sealist_login)
token=$(form_token form)
check "  the login cookie equals the form's csrf (64 hex)" eval_ok "echo '$lc' | grep -q 'sealist_login=$token;' && [ \${#token} -eq 64 ]"
check "  it is HttpOnly, SameSite=Strict, Path=/login" eval_ok "echo '$lc' | grep -q 'Path=/login' && echo '$lc' | grep -q HttpOnly && echo '$lc' | grep -q SameSite=Strict"
fetch evil "$base/login?next=//evil.example/x" >/dev/null
check "?next=//host is dropped" eval_ok "! grep -q 'name=\"next\"' '$scratch/evil.body'"
fetch evil2 "$base/login?next=https://evil.example/admin/" >/dev/null
check "?next=https://host is dropped" eval_ok "! grep -q 'name=\"next\"' '$scratch/evil2.body'"

# the login's own CSRF: the cookie and the field must agree
code=$(fetch nocookie --data-urlencode user=root --data-urlencode "password=root pass 1" --data-urlencode "csrf=$token" "$base/login")
check "POST /login without the login cookie is 403" [ "$code" = 403 ]
check "  and starts no session" [ -z "$(cookie nocookie sealist_session)" ]
code=$(fetch badtok -b "$jar" --data-urlencode user=root --data-urlencode "password=root pass 1" --data-urlencode "csrf=$(printf '%064d' 1)" "$base/login")
check "POST /login with another csrf is 403" [ "$code" = 403 ]
check "  and starts no session" [ -z "$(cookie badtok sealist_session)" ]

# a good login
code=$(fetch good -c "$jar" -b "$jar" --data-urlencode user=ROOT --data-urlencode "password=root pass 1" --data-urlencode "csrf=$token" --data-urlencode "next=/admin/lists/dev@example.org/" "$base/login")
check "the right password (name in another case) is 303" [ "$code" = 303 ]
check "  to next" [ "$(fetched_header good Location)" = "/admin/lists/dev@example.org/" ]
sc=$(cookie good sealist_session)
diag "$sc"
check "  session cookie HttpOnly, SameSite=Strict, Path=/" eval_ok "echo '$sc' | grep -q HttpOnly && echo '$sc' | grep -q SameSite=Strict && echo '$sc' | grep -q 'Path=/;'"
check "  not Secure over plain http" eval_ok "! echo '$sc' | grep -qi secure"
check "  the login cookie is expired" eval_ok "cookie good sealist_login | grep -q 'Max-Age=0'"
id=$(sid "$jar")
check "  a 256-bit id" [ "$(printf %s "$id" | wc -c)" -eq 64 ]
idhash=$(sid_hash "$jar")
check "the database has the id's SHA-256" [ "$(sql "SELECT count(*) FROM web_sessions WHERE hex(id_hash) = '$idhash' AND user = 'root'")" = 1 ]
check "  and never the id itself" [ "$(sql "SELECT count(*) FROM web_sessions WHERE hex(id_hash) = upper('$id') OR csrf = '$id' OR instr(user, '$id')")" = 0 ]
check "the session is live (GET /login sends it on)" logged_in "$jar"
if [ "$has_admin" = yes ]; then
	check "/admin/ with the session is 200" [ "$(fetch admin -b "$jar" "$base/admin/")" = 200 ]
	code=$(fetch anon "$base/admin/")
	check "/admin/ without is 303 to /login?next=" eval_ok "[ '$code' = 303 ] && fetched_header anon Location | grep -q '^/login?next='"
fi
code=$(try nextevil "$scratch/j0" root "root pass 1" --data-urlencode "next=//evil.example/")
check "a login with next=//evil goes to /admin/" eval_ok "[ '$code' = 303 ] && [ \"\$(fetched_header nextevil Location)\" = /admin/ ]"

# wrong passwords
code=$(try wrong "$scratch/jw" root "root pass 9")
check "a wrong password is 401" [ "$code" = 401 ]
check "  Wrong user name or password." grep -q "Wrong user name or password." "$scratch/wrong.body"
check "  no session cookie" [ -z "$(cookie wrong sealist_session)" ]
check "  the form again, with the name" grep -q 'name="user" value="root"' "$scratch/wrong.body"
code=$(try unknown "$scratch/jw" nobody "root pass 1")
check "an unknown name is 401 with the same words" eval_ok "[ '$code' = 401 ] && grep -q 'Wrong user name or password.' '$scratch/unknown.body'"

code=$(try xss "$scratch/jw" '"><script>alert(1)</script>' "root pass 1")
check "a name with markup is 401 and shown escaped" eval_ok "[ '$code' = 401 ] && ! grep -q '<script>alert' '$scratch/xss.body' && grep -q '&lt;script&gt;' '$scratch/xss.body'"
check "a fresh form shows no error" eval_ok "! grep -q 'class=\"error\"' '$scratch/form.body'"

# an unknown name costs a login the same scrypt (min of 3 tries each)
tmin() {		# tmin USER -- the shortest of 3 failed logins, in ms
	best=999999
	for i in 1 2 3; do
		fetch t -c "$scratch/jt" -b "$scratch/jt" "$base/login" >/dev/null
		ms=$(curl -s -o /dev/null -w '%{time_total}' -b "$scratch/jt" \
			-H "X-Forwarded-For: 192.0.2.4$i" --data-urlencode "user=$1" \
			--data-urlencode "password=wrong password" --data-urlencode "csrf=$(form_token t)" \
			"$base/login" | $py -c 'import sys; print(int(float(sys.stdin.read()) * 1000))')
		[ "$ms" -lt "$best" ] && best=$ms
	done
	echo "$best"
}
known=$(tmin timer); ghost=$(tmin ghost-timer)
diag "failed login: existing account ${known} ms, unknown name ${ghost} ms"
check "a failed login spends the time of a scrypt (at least 20 ms)" [ "$known" -ge 20 ]
check "an unknown name takes about as long as a known one" [ $((ghost * 100)) -ge $((known * 40)) ]
cli admin remove timer >/dev/null

# the web_login helper of tests/lib.sh
csrf=$(web_login "$base" root "root pass 1" "$scratch/j2")
check "web_login logs in" logged_in "$scratch/j2"
if [ "$has_admin" = yes ]; then
	check "  and prints the session's csrf" [ "$(printf %s "$csrf" | wc -c)" -eq 64 ]
fi
check_fails "web_login fails on a wrong password" web_login "$base" root "wrong pass" "$scratch/j2w"

# logout
csrf=$(session_csrf "$jar")
cp "$jar" "$scratch/old.jar"
code=$(fetch nologout -b "$jar" -X POST "$base/logout")
check "POST /logout without csrf is 403" [ "$code" = 403 ]
check "  and the session lives on" logged_in "$jar"
code=$(fetch logout -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" "$base/logout")
check "POST /logout with csrf is 303 to /login" eval_ok "[ '$code' = 303 ] && [ \"\$(fetched_header logout Location)\" = /login ]"
check "  the cookie is expired" eval_ok "cookie logout sealist_session | grep -q 'Max-Age=0'"
check "  the old cookie is no session any more" eval_ok "! logged_in '$scratch/old.jar'"
check "  its row is gone" [ "$(sql "SELECT count(*) FROM web_sessions WHERE hex(id_hash) = '$idhash'")" = 0 ]
if [ "$has_admin" = yes ]; then
	check "  /admin/ with the old cookie is 303" [ "$(fetch after -b "$scratch/old.jar" "$base/admin/")" = 303 ]
fi

# the throttle per account: 5 failures lock the name everywhere
xa="X-Forwarded-For: 192.0.2.10"
n401=0
for i in 1 2 3 4 5; do
	[ "$(try a$i "$scratch/ja" alice "wrong $i" -H "$xa")" = 401 ] && n401=$((n401 + 1))
done
check "5 wrong passwords are 401" [ "$n401" = 5 ]
code=$(try a6 "$scratch/ja" alice "wrong 6" -H "$xa")
check "the 6th is 429" [ "$code" = 429 ]
ra=$(fetched_header a6 Retry-After)
check "  with Retry-After ($ra s, at most 15 minutes)" eval_ok "[ '$ra' -gt 0 ] && [ '$ra' -le 900 ]"
check "  and says why" grep -q "Too many failed logins" "$scratch/a6.body"
code=$(try a7 "$scratch/ja" alice "alice pass" -H "$xa")
check "the right password is refused while locked (429)" eval_ok "[ '$code' = 429 ] && [ -z \"\$(cookie a7 sealist_session)\" ]"
code=$(try a8 "$scratch/ja" alice "alice pass" -H "X-Forwarded-For: 192.0.2.11")
check "  from another client too" [ "$code" = 429 ]
check "the lock is in the database" [ "$(sql "SELECT count(*) FROM web_login_failures WHERE key = 'user:alice' AND locked_until > strftime('%s','now')")" = 1 ]
check "admin passwd lifts the lock" cli admin passwd alice --password-file "$scratch/root2.pw"
check "  alice logs in with the new password" [ "$(try a9 "$scratch/ja" alice "root pass 2" -H "$xa")" = 303 ]
for i in 1 2 3 4 5; do try g$i "$scratch/jg" ghost "wrong $i" -H "X-Forwarded-For: 192.0.2.12" >/dev/null; done
code=$(try g6 "$scratch/jg" ghost "wrong 6" -H "X-Forwarded-For: 192.0.2.12")
check "an unknown name is locked the same way" [ "$code" = 429 ]
check "  with the same words" eval_ok "[ \"\$(grep -o 'Too many[^<]*' '$scratch/g6.body')\" = \"\$(grep -o 'Too many[^<]*' '$scratch/a6.body')\" ]"

# the throttle per client (20 failures): another client is not affected
xc="X-Forwarded-For: 192.0.2.20"
n401=0
for i in $(seq 1 20); do
	[ "$(try c "$scratch/jc" "name$i" "wrong pass" -H "$xc")" = 401 ] && n401=$((n401 + 1))
done
check "20 failures from one client (different names) are 401" [ "$n401" = 20 ]
code=$(try c21 "$scratch/jc" root "root pass 1" -H "$xc")
check "then that client is locked, even for a good login (429)" [ "$code" = 429 ]
code=$(try c22 "$scratch/jd" root "root pass 1" -H "X-Forwarded-For: 192.0.2.21")
check "  another client logs in (303)" [ "$code" = 303 ]
code=$(try c23 "$scratch/jc2" root "root pass 1" -H "X-Forwarded-For: 192.0.2.21, 192.0.2.20")
check "  a forged X-Forwarded-For entry does not unlock it (rightmost counts)" [ "$code" = 429 ]

# HTTPS at a trusted proxy: the cookies are Secure
code=$(try sec "$scratch/js" root "root pass 1" -H "X-Forwarded-For: 192.0.2.22" -H "X-Forwarded-Proto: https")
check "behind a trusted HTTPS proxy the session cookie is Secure" eval_ok "[ '$code' = 303 ] && cookie sec sealist_session | grep -q '; Secure'"
check "  and the login cookie too" eval_ok "cookie sec.form sealist_login | grep -q '; Secure'"

# sealist admin passwd ends the sessions
j3=$scratch/j3
try p1 "$j3" root "root pass 1" -H "X-Forwarded-For: 192.0.2.23" >/dev/null
check "root is logged in" logged_in "$j3"
check "admin passwd" cli admin passwd root --password-file "$scratch/root2.pw"
check "  ends root's sessions" eval_ok "! logged_in '$j3' && [ \"\$(sql \"SELECT count(*) FROM web_sessions WHERE user = 'root'\")\" = 0 ]"
check "  the old password is wrong now" [ "$(try p2 "$j3" root "root pass 1" -H "X-Forwarded-For: 192.0.2.23")" = 401 ]
check "  the new one works" [ "$(try p3 "$j3" root "root pass 2" -H "X-Forwarded-For: 192.0.2.23")" = 303 ]

# sealist admin remove --list takes the role away at once
j4=$scratch/j4
check "bob logs in" [ "$(try b1 "$j4" bob "alice pass" -H "X-Forwarded-For: 192.0.2.24")" = 303 ]
if [ -n "$list_page" ]; then
	check "bob may see $list_page" [ "$(fetch lp -b "$j4" "$base$list_page")" = 200 ]
fi
check "admin remove bob --list" cli admin remove bob --list dev@example.org
if [ -n "$list_page" ]; then
	check "  now $list_page is 403" [ "$(fetch lp2 -b "$j4" "$base$list_page")" = 403 ]
fi
check "  bob is still logged in (no role is not no account)" logged_in "$j4"
check "admin remove bob" cli admin remove bob
check "  ends his session" eval_ok "! logged_in '$j4'"

# expiry: idle and absolute (the daemon again with short times)
stop
check "the daemon with web_session_idle 3s, web_session_life 5s" serve 3s 5s
j5=$scratch/j5
check "a login" [ "$(try e1 "$j5" root "root pass 2" -H "X-Forwarded-For: 192.0.2.25")" = 303 ]
sleep 1.2; check "  live after 1.2 s" logged_in "$j5"
sleep 1.2; check "  live after 2.4 s (its use keeps it)" logged_in "$j5"
sleep 1.2; check "  live after 3.6 s, past the idle time from the login" logged_in "$j5"
sleep 2.5; check "  gone after 6 s: web_session_life" eval_ok "! logged_in '$j5'"
check "  and its row deleted" [ "$(rows "$j5")" = 0 ]
j6=$scratch/j6
check "another login" [ "$(try e2 "$j6" root "root pass 2" -H "X-Forwarded-For: 192.0.2.25")" = 303 ]
sleep 4; check "  gone after 4 s unused: web_session_idle" eval_ok "! logged_in '$j6'"
check "  and its row deleted" [ "$(rows "$j6")" = 0 ]
stop

tap_done
