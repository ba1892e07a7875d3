# tests/lib.sh -- TAP helpers for the end-to-end shell tests.
# Source it; the harness sets top_srcdir and top_builddir (absolute).

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
tap_n=0
tap_failed=0

ok() {			# ok WHAT -- record a pass
	tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"
}
not_ok() {		# not_ok WHAT -- record a failure
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"
}
check() {		# check WHAT CMD... -- pass iff CMD succeeds
	what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
check_fails() {		# check_fails WHAT CMD... -- pass iff CMD fails
	what=$1; shift
	if "$@"; then not_ok "$what"; else ok "$what"; fi
}
diag() { echo "# $*"; }
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# A fresh scratch directory, removed when the script exits.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sealist-e2e.XXXXXX")
cleanup_hooks=""
at_exit() { cleanup_hooks="$cleanup_hooks; $*"; }
# KEEP_SCRATCH=DIR keeps a copy of the scratch directory there, to debug a run.
trap 'eval "true $cleanup_hooks"; [ -n "${KEEP_SCRATCH:-}" ] && cp -r "$scratch" "$KEEP_SCRATCH"; rm -rf "$scratch"' EXIT

# need_tools TOOL... -- each one is installed, else a failure and exit (never a skip)
need_tools() {
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null; then
			not_ok "$tool is installed"
			tap_done
			exit 1
		fi
	done
}

# wait_for FILE PATTERN [SECONDS] -- until PATTERN appears in FILE
wait_for() {
	i=0; limit=$(( ${3:-10} * 10 ))
	while [ $i -lt $limit ]; do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# wait_gone PID [SECONDS] -- until the process has exited
wait_gone() {
	i=0; limit=$(( ${2:-10} * 10 ))
	while [ $i -lt $limit ]; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# random_port -- a port number in 20000-59999
random_port() {
	echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
}

# dnsmasq_start NAME OPTIONS... -- a dnsmasq (Debian's dnsmasq-base) on a
# free random port of 127.0.0.1 answering from OPTIONS only (no upstream,
# no hosts file), logging queries to $scratch/NAME.log; sets $port and
# stops it when the script exits.  Fails if dnsmasq is missing.
dnsmasq_start() {
	name=$1; shift
	dnsmasq=${dnsmasq:-$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)}
	[ -n "$dnsmasq" ] || return 1
	for try in 1 2 3 4 5; do
		port=$(random_port)
		"$dnsmasq" --keep-in-foreground --conf-file=/dev/null \
			--no-resolv --no-hosts --bind-interfaces \
			--listen-address=127.0.0.1 --port="$port" --user="$(id -un)" \
			--pid-file="$scratch/$name.pid" --log-queries=extra \
			--log-facility="$scratch/$name.log" "$@" \
			2>"$scratch/$name.err" &
		dnsmasq_pid=$!
		at_exit "kill $dnsmasq_pid 2>/dev/null"
		if wait_for "$scratch/$name.log" "started, version" 5; then
			sleep 0.2
			kill -0 "$dnsmasq_pid" 2>/dev/null && return 0
		fi
		kill "$dnsmasq_pid" 2>/dev/null
	done
	return 1
}

# dkim_keygen FILE rsa|ed25519 -- a new private key in FILE (PEM, made by
# openssl) and, on stdout, the p= value of its DKIM key record (RFC 6376
# SubjectPublicKeyInfo for RSA, the raw 32 octets for Ed25519, RFC 8463).
dkim_keygen() {
	if [ "$2" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-out "$1" 2>/dev/null || return 1
		openssl pkey -in "$1" -pubout -outform DER | base64 -w0
	else
		openssl genpkey -algorithm ED25519 -out "$1" || return 1
		openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | base64 -w0
	fi
}

# postfix_master_cf DIR PORT -- the master.cf of a private Postfix whose
# smtpd listens on 127.0.0.1:PORT (every service the tests' instances use)
postfix_master_cf() {
	cat >"$1/master.cf" <<EOT
127.0.0.1:$2 inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOT
}

# postfix_start LMTP_TARGET DOMAINS -- a private Postfix (Debian's postfix,
# run as root, its own config and queue under $scratch/postfix) listening
# for SMTP on a random loopback port, relaying mail for DOMAINS (comma
# separated) over LMTP to LMTP_TARGET ("inet:127.0.0.1:PORT" or
# "unix:/path"), with XFORWARD on, and XCLIENT allowed from loopback so a
# test can speak for any client address.  Sets $smtp_port; logs to
# $scratch/postfix/maillog; stopped when the script exits.
postfix_start() {
	pf=$scratch/postfix
	postfix=$(command -v postfix || ls /usr/sbin/postfix 2>/dev/null) || return 1
	# Postfix's daemons run as the postfix user and must reach the queue
	chmod 755 "$scratch" || return 1
	mkdir -p "$pf/queue" "$pf/data" || return 1
	# master's lock file lives here and master runs as mail_owner
	chown postfix "$pf/data" || return 1
	smtp_port=$(random_port)
	pf_transport=""
	for pf_domain in $(echo "$2" | tr ',' ' '); do
		pf_transport="$pf_transport $pf_domain=lmtp:$1,"
	done
	cat >"$pf/main.cf" <<EOT
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.sealist.test
mydomain = sealist.test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains = $2
transport_maps = inline:{${pf_transport%,} }
lmtp_send_xforward_command = yes
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_authorized_xclient_hosts = 127.0.0.0/8
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
biff = no
smtputf8_enable = no
EOT
	postfix_master_cf "$pf" "$smtp_port"
	"$postfix" -c "$pf" start >"$pf/start.log" 2>&1 || return 1
	at_exit "'$postfix' -c '$pf' stop >/dev/null 2>&1"
	wait_for "$pf/maillog" "daemon started" 10
}

# dnsmasq_zone NAME ZONE OPTIONS... -- dnsmasq_start serving ZONE, a file of
# 'name TXT "value"' lines (tests/oracle/dnsmasq_args.py turns them into
# --txt-record options), with OPTIONS added.
dnsmasq_zone() {
	dz_name=$1 dz_zone=$2; shift 2
	dz_opts=$(/usr/bin/python3 "$top_srcdir/tests/oracle/dnsmasq_args.py" "$dz_zone") || return 1
	while read -r dz_opt; do
		[ -n "$dz_opt" ] && set -- "$@" "$dz_opt"
	done <<EOT
$dz_opts
EOT
	dnsmasq_start "$dz_name" "$@"
}

# web tests: the daemon's web server, curl and logins
# web_csrf JAR URL -- print the first csrf form token of the page at URL
# fetched with the cookies of JAR (empty if it has none, e.g. not logged in).
web_csrf() {
	curl -s -b "$1" "$2" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1
}
# web_login BASEURL USER PASS JAR -- log in with curl as a browser does:
# GET BASEURL/login for the pre-session cookie (sealist_login) and the
# form's csrf, POST user, password and csrf; the session cookie goes into
# the cookie jar JAR (created or updated).  Prints the session's CSRF
# token, read from the logout form of BASEURL/admin/, for later POSTs:
#   csrf=$(web_login "$base" alice 'secret pw' "$scratch/alice.jar")
#   curl -b "$scratch/alice.jar" --data-urlencode csrf="$csrf" ...
# Fails (status 1, prints nothing) if the login is not answered with 303.
web_login() {
	_wl_token=$(curl -s -c "$4" -b "$4" "$1/login" \
		| sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
	_wl_code=$(curl -s -o /dev/null -w '%{http_code}' -c "$4" -b "$4" \
		--data-urlencode "user=$2" --data-urlencode "password=$3" \
		--data-urlencode "csrf=$_wl_token" "$1/login")
	[ "$_wl_code" = 303 ] || return 1
	web_csrf "$4" "$1/admin/"
}

# web_serve CONF LOG -- start sealistd -f -c CONF (stderr appended to LOG)
# with the web on a free port: CONF's "web_listen = 127.0.0.1:..." line
# (and a web_base_url on 127.0.0.1) gets each try's port (a random port
# may be taken; three tries).  Sets
# $daemon, $port and $base, and kills the daemon when the script exits.
# Fails if it never serves.
web_serve() {
	for _ws_try in 1 2 3; do
		port=$(random_port)
		sed -i -e "s|^web_listen = 127\.0\.0\.1:.*|web_listen = 127.0.0.1:$port|" \
			-e "s|^web_base_url = \(https*\)://127\.0\.0\.1:[0-9]*|web_base_url = \1://127.0.0.1:$port|" "$1"
		"$top_builddir/src/sealistd" -f -c "$1" 2>>"$2" &
		daemon=$!
		if wait_for "$2" "service=web listen=127.0.0.1:$port served=yes" 10 \
		   && kill -0 "$daemon" 2>/dev/null; then
			at_exit "kill $daemon 2>/dev/null"
			base=http://127.0.0.1:$port
			return 0
		fi
		kill "$daemon" 2>/dev/null; wait_gone "$daemon" 5
	done
	return 1
}

# fetch NAME CURL-ARGS... -- curl into $scratch/NAME.body and NAME.head;
# prints the HTTP status
fetch() {
	_f_name=$1; shift
	curl -s -o "$scratch/$_f_name.body" -D "$scratch/$_f_name.head" -w '%{http_code}' "$@"
}
# fetched_header NAME FIELD -- the (first) value of a header of response
# NAME, without CR
fetched_header() {
	sed -n "s/^$2: *//Ip" "$scratch/$1.head" | tr -d '\r' | head -n 1
}
