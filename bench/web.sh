#!/bin/sh
# bench/web.sh -- the web pages under load: requests/s and p99 latency that
# the real sealistd serves to wrk on loopback for the members page of a
# 100,000-member list (first, middle and last of its 2,000 pages, as a
# logged-in site admin) and for the public list page.  Each row is
# "wrk -t2 -c16 -d10s --latency"; a Lua hook counts every answer that is
# not 2xx (wrk itself only counts 4xx/5xx: a 303 to /login would pass
# unseen), and any such answer or socket error makes the run FAILED (exit
# 1).  Before each row curl checks the page is the right one.  The
# machine's context (nproc, load average) is printed first: the 2 cores
# are shared with wrk itself.
# Usage: bench/web.sh [-d SECONDS] [-m MEMBERS]
# Run from a build tree; needs wrk, curl and sqlite3 (scripts/deps.sh test).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
secs=10 members=100000
while [ $# -gt 0 ]; do
	case $1 in
	-d) secs=$2; shift 2 ;;
	-m) members=$2; shift 2 ;;
	*) echo "usage: bench/web.sh [-d SECONDS] [-m MEMBERS]" >&2; exit 2 ;;
	esac
done
. "$top_srcdir/tests/lib.sh"
sealist="$top_builddir/src/sealist"
sealistd="$top_builddir/src/sealistd"
for tool in wrk curl sqlite3; do
	command -v $tool >/dev/null || { echo "bench/web.sh: $tool is missing (scripts/deps.sh test)" >&2; exit 1; }
done

db=$scratch/sealist.db
list=big@example.org
conf() {
	cat >"$scratch/sealist.conf" <<CONF
database = $db
lmtp_listen =
web_listen = 127.0.0.1:$1
web_base_url =
templates_dir = $top_srcdir/templates
www_dir = $top_srcdir/www
keys_dir = $scratch/keys
smtp_relay = smtp://127.0.0.1:9
log_level = warn
CONF
}
cli() { "$sealist" -c "$scratch/sealist.conf" "$@"; }
fail() { echo "bench/web.sh: $*" >&2; exit 1; }

# -- the list: MEMBERS members from a CSV, and a site admin -------------------
port=$(random_port)
conf "$port"
cli list create $list --owner boss@example.org >/dev/null || fail "list create failed"
awk -v n="$members" 'BEGIN { print "address,name"
	for (i = 1; i <= n; i++) printf "member%06d@example.net,Member %d\n", i, i }' >"$scratch/members.csv"
t0=$(date +%s.%N)
cli member import $list "$scratch/members.csv" >/dev/null || fail "member import failed"
t1=$(date +%s.%N)
pass=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$pass" >"$scratch/password"
cli admin add bench --password-file "$scratch/password" >/dev/null || fail "admin add failed"

"$sealistd" -f -c "$scratch/sealist.conf" 2>"$scratch/daemon.log" &
daemon=$!
at_exit "kill $daemon 2>/dev/null"
# log_level = warn hides the endpoint announcement: wait for the port
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/lists/$list/" || [ $i -ge 50 ]; do
	sleep 0.2; i=$((i + 1))
done
base=http://127.0.0.1:$port
kill -0 "$daemon" 2>/dev/null || fail "sealistd did not start: $(tail -3 "$scratch/daemon.log")"

# -- log in with curl (tests/lib.sh): the session cookie for wrk ---------------
jar=$scratch/cookies
web_login "$base" bench "$pass" "$jar" >/dev/null || fail "the login failed"
session=$(awk '$6 == "sealist_session" { print $7 }' "$jar")
[ -n "$session" ] || fail "no sealist_session cookie after login"
cookie="Cookie: sealist_session=$session"

# not2xx.lua: counts answers outside 200-299 in every thread
cat >"$scratch/not2xx.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
	if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
	local n = 0
	for _, t in ipairs(threads) do n = n + t:get("bad") end
	io.write(string.format("not2xx %d\n", n))
end
LUA

echo "bench/web.sh: sealistd web pages under wrk -t2 -c16 -d${secs}s on loopback"
echo "machine: nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -srm)"
echo "list: $members members, imported from CSV in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
printf '%-44s %10s %10s %8s %8s %7s\n' page "req/s" "p99" "not-2xx" errors ratio
failed=0
# row NAME URL MUST -- curl checks URL answers 200 containing MUST, then wrk
row() {
	code=$(curl -s -H "$cookie" -o "$scratch/page.html" -w '%{http_code}' "$2")
	if [ "$code" != 200 ] || ! grep -qF -- "$3" "$scratch/page.html"; then
		printf '%-44s FAILED: curl got %s without "%s"\n' "$1" "$code" "$3"
		failed=1; return
	fi
	wrk -t2 -c16 -d"${secs}s" --latency -s "$scratch/not2xx.lua" -H "$cookie" "$2" >"$scratch/wrk.out" 2>&1
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$scratch/wrk.out")
	p99=$(awk '$1 == "99%" { print $2 }' "$scratch/wrk.out")
	bad=$(awk '/^not2xx / { print $2 }' "$scratch/wrk.out")
	errs=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$scratch/wrk.out")
	: "${errs:=0}"
	# the ratio to the same daemon's static file: what the page costs
	# beyond what libmicrohttpd and loopback TCP cost on this machine
	ratio=$(awk -v r="${rps:-0}" -v c="${ceiling:-0}" 'BEGIN { if (c > 0) printf "%.2f", r / c; else print "1.00" }')
	printf '%-44s %10s %10s %8s %8s %7s\n' "$1" "${rps:-?}" "${p99:-?}" "${bad:-?}" "$errs" "$ratio"
	[ -n "${ceiling:-}" ] || ceiling=$rps
	if [ -z "$rps" ] || [ "${bad:-1}" != 0 ] || [ "$errs" != 0 ]; then
		failed=1
		sed 's/^/    wrk: /' "$scratch/wrk.out"
	fi
}
# first the ceiling: a static file from the same server (ratio 1.00)
row "static /static/sealist.css (ceiling)" "$base/static/sealist.css" 'sealist.css'
last=$(( (members + 49) / 50 ))
mid=$(( (last + 1) / 2 ))
row "members page 1" "$base/admin/lists/$list/members?page=1" "member000001@example.net"
row "members page $mid" "$base/admin/lists/$list/members?page=$mid" \
	"$(printf 'member%06d@example.net' $(( (mid - 1) * 50 + 1 )))"
row "members page $last (last)" "$base/admin/lists/$list/members?page=$last" \
	"$(printf 'member%06d@example.net' "$members")"
row "public list page /lists/$list/" "$base/lists/$list/" 'name="email"'
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$daemon"
wait_gone "$daemon" 10
if [ "$failed" != 0 ]; then
	echo "bench/web.sh: FAILED (answers other than 2xx, socket errors or a wrong page)"
	exit 1
fi
echo "bench/web.sh: no errors"
