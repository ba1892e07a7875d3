#!/bin/sh
# NAME
#	cli.sh
# SUMMARY
#	end-to-end test of the sealist CLI against a fresh database
# DESCRIPTION
#	Runs the built src/sealist with a temporary configuration file and
#	database, and prints TAP.  Every bad input must fail with one clear
#	line on stderr, the right exit status (1 failure, 2 usage), and leave
#	the database as it was: the same rows (sqlite3 .dump) and the same
#	bytes.  Needs the sqlite3 command line shell (Debian: sqlite3).
#
#	The harness sets top_builddir and top_srcdir (absolute paths).

top_builddir=${top_builddir:-.}
SEALIST=$top_builddir/src/sealist
n=0

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP the sqlite3 shell is not installed (Debian package sqlite3)"
	exit 0
fi

T=`mktemp -d "${TMPDIR:-/tmp}/sealist-cli.XXXXXX"` || exit 99
trap 'rm -rf "$T"' EXIT
DB=$T/sealist.db
printf '# written by tests/e2e/cli.sh\ndatabase = %s\n' "$DB" > "$T/sealist.conf"
SEALIST_CONF=$T/sealist.conf
export SEALIST_CONF

# ok STATUS DESCRIPTION: one TAP line; STATUS 0 is a pass.
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/#   stdout: /' "$T/out" 2>/dev/null
		sed 's/^/#   stderr: /' "$T/err" 2>/dev/null
	fi
}

# run ARGS...: sealist's stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$SEALIST" "$@" > "$T/out" 2> "$T/err"
	rc=$?
}

snapshot() {
	sqlite3 "$DB" .dump > "$T/dump.$1" && cp "$DB" "$T/bytes.$1"
}

# bad STATUS MESSAGE ARGS...: must exit STATUS, print one stderr line
# containing MESSAGE, nothing on stdout, and change nothing.
bad() {
	want=$1 msg=$2
	shift 2
	what="sealist $*"
	snapshot before
	run "$@"
	snapshot after
	[ "$rc" -eq "$want" ]; ok $? "$what: exits $want"
	grep -F -q -- "$msg" "$T/err"; ok $? "$what: says \"$msg\""
	[ "`wc -l < "$T/err"`" -eq 1 ] && grep -q '^sealist: ' "$T/err"
	ok $? "$what: one line on stderr starting with 'sealist: '"
	[ ! -s "$T/out" ]; ok $? "$what: nothing on stdout"
	cmp -s "$T/dump.before" "$T/dump.after"; ok $? "$what: rows unchanged"
	cmp -s "$T/bytes.before" "$T/bytes.after"; ok $? "$what: file unchanged"
}

# good DESCRIPTION ARGS...: must exit 0.
good() {
	what=$1
	shift
	run "$@"
	[ "$rc" -eq 0 ]; ok $? "$what"
}

# The flow of the issue, exactly.
"$SEALIST" list create dev@example.org > /dev/null \
	&& "$SEALIST" member add dev@example.org a@example.net > /dev/null \
	&& "$SEALIST" member ls dev@example.org > "$T/out" 2> "$T/err"
ok $? "list create, member add, member ls succeed"
grep -q '^a@example.net ' "$T/out"; ok $? "member ls prints a@example.net"
[ "`cat "$T/out"`" = "a@example.net regular enabled -" ]
ok $? "member ls line is: address delivery status flags"

run member add dev@example.org b@example.net C.Mixed@Example.NET --delivery digest
[ "$rc" -eq 0 ] && grep -q '^added 2 members to dev@example.org$' "$T/out"
ok $? "member add of two addresses reports the count"
good "member add with --name and --moderated" \
	member add dev@example.org d@example.net --name 'Dee "D" Example' --moderated
run member ls dev@example.org
cat > "$T/want" <<'EOF'
a@example.net regular enabled -
b@example.net digest enabled -
C.Mixed@example.net digest enabled -
d@example.net regular enabled moderated "Dee \"D\" Example"
EOF
cmp -s "$T/want" "$T/out"; ok $? "member ls shows every member, ordered, domain lowercased"

good "list create with an owner" list create Ops@Example.ORG --owner boss@example.org
grep -q '^created list ops@example.org$' "$T/out"; ok $? "the list address is lowercased"
run list ls
printf 'dev@example.org 4\nops@example.org 0\n' > "$T/want"
cmp -s "$T/want" "$T/out"; ok $? "list ls: address and member count per line"
run list show dev@example.org
[ "$rc" -eq 0 ] \
	&& grep -q '^list: dev@example.org$' "$T/out" \
	&& grep -q '^members: 4 (regular 2, digest 2, nomail 0; disabled 0, moderated 1)$' "$T/out" \
	&& grep -q '^owners: (none)$' "$T/out" \
	&& grep -q '^  real_name = "dev" (default)$' "$T/out" \
	&& grep -q '^  subject_prefix = "\[%(real_name)s\] " (default)$' "$T/out" \
	&& grep -q '^  max_message_size = 40 (default)$' "$T/out" \
	&& grep -q '^created: [0-9-]* [0-9:]* UTC$' "$T/out"
ok $? "list show: address, created, counts, owners, settings with defaults marked"
run list show ops@example.org
grep -q '^owners: boss@example.org$' "$T/out"; ok $? "list show shows the owner"

# Bad input: one line, the right status, nothing changed.
bad 1 'invalid address "bad": missing @' \
	member add dev@example.org e@example.net bad f@example.net
bad 1 'domain needs a dot' member add dev@example.org e@localhost
bad 1 'give the bare address' member add dev@example.org 'Eve <e@example.net>'
bad 1 'no such list: nope@example.org' member add nope@example.org e@example.net
bad 1 'no such list: nope@example.org' member ls nope@example.org
bad 1 'no such list: nope@example.org' list show nope@example.org
bad 1 'no such list: nope@example.org' list delete nope@example.org
bad 1 'a@example.net is already a member of dev@example.org' \
	member add dev@example.org e@example.net a@example.net
bad 1 'already a member' member add dev@example.org A@EXAMPLE.NET
bad 1 'given more than once' member add dev@example.org e@example.net E@example.net
bad 1 'z@example.net is not a member of dev@example.org' \
	member remove dev@example.org a@example.net z@example.net
bad 1 'list dev@example.org already exists' list create DEV@example.org
bad 1 'reserved' list create dev-request@example.org
bad 1 'reserved' list create dev-owner@example.org
bad 1 'reserved' list create dev-bounces@example.org
bad 1 'reserved' list create x-confirm@example.org
bad 1 'reserved' list create x-join@example.org
bad 1 'reserved' list create x-leave@example.org
bad 1 'recipient delimiter' list create dev+x@example.org
bad 1 'missing @' list create dev
bad 1 'invalid owner address "boss": missing @' list create new@example.org --owner boss
bad 2 'unknown command "frob"' frob
bad 2 'unknown command "list frob"' list frob
bad 1 'no such list: nosuch@example.org' config export nosuch@example.org
bad 2 'too many arguments' auth check extra
bad 2 'missing command' list
bad 2 'missing command' member
bad 2 'missing arguments' list create
bad 2 'missing arguments' member add dev@example.org
bad 2 'missing arguments' member remove
bad 2 'missing arguments' member ls
bad 2 'too many arguments' list show dev@example.org ops@example.org
bad 2 'unknown option --frob' member ls dev@example.org --frob
bad 2 '--owner needs a value' list create new@example.org --owner
bad 2 '--delivery must be regular, digest or nomail' \
	member add dev@example.org e@example.net --delivery weekly
bad 2 '--name goes with exactly one address' \
	member add dev@example.org e@example.net f@example.net --name E
bad 2 'missing command' -c "$T/sealist.conf"

# Configuration files.
printf 'database = %s\nfrobnicate = 1\n' "$DB" > "$T/bad.conf"
snapshot before
run -c "$T/bad.conf" list create new@example.org
snapshot after
[ "$rc" -eq 1 ] && grep -q "^sealist: $T/bad.conf:2: unknown key: frobnicate$" "$T/err" \
	&& grep -q "^sealist: $T/bad.conf has 1 error; fix it" "$T/err"
ok $? "an error in the configuration file is reported with its line; exit 1"
cmp -s "$T/dump.before" "$T/dump.after"; ok $? "and nothing is changed"
run -c "$T/missing.conf" list ls
[ "$rc" -eq 1 ] && grep -q "missing.conf" "$T/err"
ok $? "-c with a missing file fails and names it"

# Help on every command.
for cmd in "list create" "list delete" "list show" "list ls" \
	   "member add" "member remove" "member ls"; do
	# shellcheck disable=SC2086
	run $cmd --help
	[ "$rc" -eq 0 ] && grep -q "^usage: sealist \[-c CONF\] $cmd" "$T/out"
	ok $? "sealist $cmd --help"
	# shellcheck disable=SC2086
	run help $cmd
	[ "$rc" -eq 0 ] && grep -q "^usage: sealist \[-c CONF\] $cmd" "$T/out"
	ok $? "sealist help $cmd"
done
for args in "help" "--help" "-h" "list --help" "member -h" "help member"; do
	# shellcheck disable=SC2086
	run $args
	[ "$rc" -eq 0 ] && grep -q '^usage: sealist' "$T/out"
	ok $? "sealist $args"
done
run --version
[ "$rc" -eq 0 ] && grep -q '^sealist [0-9]' "$T/out"; ok $? "sealist --version"

# Concurrent writers wait for each other (busy_timeout) instead of failing.
pids=
for i in 1 2 3 4 5 6 7 8; do
	"$SEALIST" member add ops@example.org "p$i@example.net" > /dev/null 2> "$T/err.$i" &
	pids="$pids $!"
done
failed=0
for pid in $pids; do
	wait "$pid" || failed=$((failed + 1))
done
[ "$failed" -eq 0 ]; ok $? "eight concurrent member adds all succeed"
[ "`sqlite3 "$DB" "SELECT count(*) FROM members WHERE address LIKE 'p_@example.net'"`" -eq 8 ]
ok $? "and all eight members are there"

# Removing and deleting.
run member remove dev@example.org B@EXAMPLE.net c.mixed@example.net
[ "$rc" -eq 0 ] && grep -q '^removed 2 members from dev@example.org$' "$T/out"
ok $? "member remove matches addresses in any case"
run member ls dev@example.org
[ "`wc -l < "$T/out"`" -eq 2 ]; ok $? "two members are left"
run list delete dev@example.org
[ "$rc" -eq 0 ] && grep -q '^deleted list dev@example.org with 2 members$' "$T/out"
ok $? "list delete reports what it deleted"
[ "`sqlite3 "$DB" "SELECT count(*) FROM members WHERE address NOT LIKE 'p_@example.net'"`" -eq 0 ]
ok $? "the list's members are gone from the database, the other list's stay"
run list ls
printf 'ops@example.org 8\n' > "$T/want"
cmp -s "$T/want" "$T/out"; ok $? "list ls shows the remaining list"

# bounces process: one member disabled by bounces with a warning left,
# one disabled by an admin (never touched).
printf 'templates_dir = %s/templates\n' "${top_srcdir:-.}" >> "$T/sealist.conf"
sqlite3 "$DB" "UPDATE members SET status = 'disabled', disabled_by = 'bounce', notices_left = 1,
	last_notice = 0, bounce_last = 1799990000 WHERE address = 'p1@example.net';
	UPDATE members SET status = 'disabled', disabled_by = 'admin' WHERE address = 'p2@example.net'"
bad 2 '--now needs Unix seconds' bounces process --now soon
run bounces process --now 1800000000
[ $rc -eq 0 ] && [ "`cat "$T/out"`" = "warned 1, removed 0" ]
ok $? "bounces process sends the due warning"
[ "`sqlite3 "$DB" "SELECT count(*) FROM outbound o JOIN deliveries q ON q.outbound_id = o.id
	WHERE o.kind = 'notice' AND q.recipient = 'p1@example.net'"`" -eq 1 ]
ok $? "as a notice with its delivery row"
run bounces process --now 1800003600
[ $rc -eq 0 ] && [ "`cat "$T/out"`" = "warned 0, removed 0" ]
ok $? "run again the same day, it does nothing"
run bounces process --now 1800604800
[ $rc -eq 0 ] && [ "`cat "$T/out"`" = "warned 0, removed 1" ]
ok $? "an interval later the member is removed"
[ "`sqlite3 "$DB" "SELECT group_concat(address) FROM members WHERE address IN ('p1@example.net', 'p2@example.net')"`" = p2@example.net ]
ok $? "the member disabled by an admin stays"

echo "1..$n"
