#!/bin/sh
# NAME
#	members_csv.sh
# SUMMARY
#	end-to-end test of sealist member import, export and ls filters
# DESCRIPTION
#	Drives the built src/sealist with a temporary configuration and
#	database.  Checks the speed of a 100,000-row import (its time is
#	printed; MEMBERS_CSV_MAX_SECONDS, 10 by default, is the limit), that
#	one bad row imports nothing (the member list is compared before and
#	after) unless --skip-invalid, the CSV forms a spreadsheet writes
#	(quotes, commas, UTF-8, a BOM, CRLF, columns in any order, extra
#	columns), duplicates, --dry-run, stdin, an export -> import round trip
#	into another list, and the ls filters.  Prints TAP.
. "${top_srcdir:-.}/tests/lib.sh"

SEALIST=$top_builddir/src/sealist
T=$scratch
printf 'database = %s\n' "$T/sealist.db" > "$T/sealist.conf"
SEALIST_CONF=$T/sealist.conf
export SEALIST_CONF

# run ARGS...: stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$SEALIST" "$@" > "$T/out" 2> "$T/err"
	rc=$?
}
# members LIST: the member ls lines into $T/ls.NAME
members() {
	"$SEALIST" member ls "$1" > "$T/ls.$2"
}
count() {
	"$SEALIST" member ls "$1" | wc -l | tr -d ' '
}
show_fail() {
	sed 's/^/#   stdout: /' "$T/out" | head -5
	sed 's/^/#   stderr: /' "$T/err" | head -5
}
# expect WHAT STATUS: $rc must be STATUS
expect() {
	if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else not_ok "$1 (exit $rc, want $2)"; show_fail; fi
}
has_err() {		# has_err WHAT TEXT: stderr contains TEXT
	if grep -F -q -- "$2" "$T/err"; then ok "$1"; else not_ok "$1: no \"$2\" on stderr"; show_fail; fi
}
has_out() {		# has_out WHAT TEXT: stdout contains TEXT
	if grep -F -q -- "$2" "$T/out"; then ok "$1"; else not_ok "$1: no \"$2\" on stdout"; show_fail; fi
}
same() {		# same WHAT FILE1 FILE2
	if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1"; diff "$2" "$3" | head -10 | sed 's/^/# /'; fi
}

for l in big mid fmt dup dry rt copy filt; do
	"$SEALIST" list create $l@example.org > /dev/null || { echo "Bail out! list create"; exit 1; }
done

# 1. 100,000 rows, one transaction.
awk 'BEGIN { print "address,name,delivery";
	for (i = 1; i <= 100000; i++)
		printf "user%d@example.org,\"User %d, Jr.\",%s\n", i, i, (i % 3 ? "regular" : "digest") }' \
	> "$T/big.csv"
start=$(date +%s.%N)
run member import big@example.org "$T/big.csv"
end=$(date +%s.%N)
secs=$(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }')
diag "100,000-row import took $secs s"
expect "100,000-row import" 0
has_out "it says how many it imported" "imported 100000, skipped 0"
has_err "a progress line on stderr" "read 50000 rows"
check "all 100,000 are members" [ "$(count big@example.org)" -eq 100000 ]
check "it took under ${MEMBERS_CSV_MAX_SECONDS:-10} s ($secs s)" \
	awk "BEGIN { exit !($secs < ${MEMBERS_CSV_MAX_SECONDS:-10}) }"
run member ls big@example.org --delivery digest
check "33,333 of them get digests" [ "$(wc -l < "$T/out")" -eq 33333 ]

# 2. One bad row in the middle: nothing, unless --skip-invalid.
"$SEALIST" member add mid@example.org keep@example.org > /dev/null
awk 'BEGIN { print "address,name,delivery";
	for (i = 1; i <= 1000; i++) if (i == 500) print "not-an-address,Bad,regular";
	else printf "m%d@example.org,,\n", i }' > "$T/mid.csv"
members mid@example.org before
run member import mid@example.org "$T/mid.csv"
members mid@example.org after
expect "a file with one bad row" 1
has_err "the bad row is named FILE:LINE: why" "mid.csv:501: invalid address \"not-an-address\""
has_err "and it says nothing was imported" "1 invalid row; nothing imported"
same "the members are unchanged" "$T/ls.before" "$T/ls.after"
check "one member before and after" [ "$(count mid@example.org)" -eq 1 ]
run member import mid@example.org "$T/mid.csv" --skip-invalid
expect "the same file with --skip-invalid" 0
has_out "imports the rest" "imported 999, skipped 1"
has_err "and still lists the bad row" "mid.csv:501: invalid address"
check "1,000 members now" [ "$(count mid@example.org)" -eq 1000 ]

# 3. What spreadsheets write: quotes, commas, UTF-8, BOM, CRLF, any column
# order, extra columns, blank lines at the end.
printf '\357\273\277delivery,Notes,NAME,address,status\r\n' > "$T/fmt.csv"
printf 'digest,"x, y","Doe, Jane",jane@example.org,enabled\r\n' >> "$T/fmt.csv"
printf ',,"Say ""hi"" Bob",bob@example.org,\r\n' >> "$T/fmt.csv"
printf 'nomail,,Zo\303\253 \303\205str\303\266m,zoe@Example.ORG,\r\n' >> "$T/fmt.csv"
printf ',,, plain@example.org ,\r\n\r\n\r\n' >> "$T/fmt.csv"
run member import fmt@example.org "$T/fmt.csv"
expect "BOM, CRLF, quoted fields, columns reordered, extra columns" 0
has_out "four imported" "imported 4, skipped 0"
members fmt@example.org got
cat > "$T/ls.want" <<'EOF'
bob@example.org regular enabled - "Say \"hi\" Bob"
jane@example.org digest enabled - "Doe, Jane"
plain@example.org regular enabled -
zoe@example.org nomail enabled - "Zoë Åström"
EOF
same "names with commas, quotes and UTF-8 are kept; address trimmed" "$T/ls.want" "$T/ls.got"

# 4. Duplicates, existing members, bad modes: every one reported, nothing changes.
cat > "$T/dup.csv" <<'EOF'
address,name,delivery
a@example.org,,
b@example.org,,weekly
A@EXAMPLE.ORG,,
keep@example.org,,
Name <c@example.org>,,
"multi
line@example.org",,
EOF
"$SEALIST" member add dup@example.org keep@example.org > /dev/null
members dup@example.org before
run member import dup@example.org "$T/dup.csv"
members dup@example.org after
expect "duplicates and existing members" 1
has_err "an unknown delivery mode" "dup.csv:3: invalid delivery mode \"weekly\""
has_err "a duplicate names the first line" \
	"dup.csv:4: A@example.org is given more than once (first on line 2)"
has_err "an existing member" "dup.csv:5: keep@example.org is already a member of dup@example.org"
has_err "a display name in the address column" "dup.csv:6: invalid address \"Name <c@example.org>\""
has_err "a row spanning lines is named by its first line" "dup.csv:7: invalid address"
has_err "the count of invalid rows" "5 invalid rows; nothing imported"
same "nothing changed" "$T/ls.before" "$T/ls.after"

# 5. Malformed CSV is refused whole, even with --skip-invalid.
printf 'address\nx@example.org\n"y@example.org\n' > "$T/broken.csv"
run member import dup@example.org "$T/broken.csv" --skip-invalid
members dup@example.org after2
expect "an unclosed quote" 1
has_err "names the line" "broken.csv:4: quoted field opened on line 3 not closed; nothing imported"
same "nothing changed" "$T/ls.before" "$T/ls.after2"
printf 'email,name\nx@example.org,X\n' > "$T/nohdr.csv"
run member import dup@example.org "$T/nohdr.csv"
expect "a header without an address column" 1
has_err "says what header is needed" "nohdr.csv:1: the first row must be a header with an address column"

# 6. --dry-run: says what would happen, changes nothing.
members dry@example.org before
run member import dry@example.org "$T/fmt.csv" --dry-run
members dry@example.org after
expect "--dry-run of a good file" 0
has_out "says what it would do" "dry run: would import 4, skip 0; nothing changed"
same "and changes nothing" "$T/ls.before" "$T/ls.after"
run member import dry@example.org "$T/mid.csv" --dry-run
expect "--dry-run of a file with a bad row" 1
has_err "reports the bad row" "mid.csv:501:"
has_err "and what would happen" "nothing would be imported (with --skip-invalid the other 999"
run member import dry@example.org "$T/mid.csv" --dry-run --skip-invalid
members dry@example.org after
expect "--dry-run --skip-invalid" 0
has_out "would import the valid rows" "dry run: would import 999, skip 1"
same "and changes nothing" "$T/ls.before" "$T/ls.after"

# 7. Standard input.
printf 'address\nin1@example.org\nin2@example.org\n' | "$SEALIST" member import dry@example.org - \
	> "$T/out" 2> "$T/err"
rc=$?
expect "FILE - reads standard input" 0
has_out "two imported" "imported 2, skipped 0"
printf 'address\nbad\n' | "$SEALIST" member import dry@example.org - > "$T/out" 2> "$T/err"
has_err "errors name stdin" "stdin:2: invalid address"

# 8. Export -> import into another list: the same members, the same file.
"$SEALIST" member add rt@example.org mod@example.org --moderated --delivery nomail > /dev/null
"$SEALIST" member import rt@example.org "$T/fmt.csv" > /dev/null
run member export rt@example.org
expect "export to standard output" 0
cp "$T/out" "$T/rt.csv"
has_out "the header comes first" "address,name,delivery,status,moderated"
has_out "names are quoted where needed" "jane@example.org,\"Doe, Jane\",digest,enabled,no"
has_out "quotes are doubled" "bob@example.org,\"Say \"\"hi\"\" Bob\",regular,enabled,no"
run member export rt@example.org -o "$T/rt-o.csv"
expect "export -o FILE" 0
same "-o writes the same bytes" "$T/rt.csv" "$T/rt-o.csv"
run member import copy@example.org "$T/rt.csv"
expect "import the export into another list" 0
has_out "all five" "imported 5, skipped 0"
"$SEALIST" member export copy@example.org > "$T/copy.csv"
same "exporting the copy gives the same file" "$T/rt.csv" "$T/copy.csv"
members rt@example.org a
members copy@example.org b
same "member ls of both lists agree (moderated too)" "$T/ls.a" "$T/ls.b"
run member export nope@example.org -o "$T/none.csv"
expect "export of an unknown list" 1
check "leaves no file" [ ! -e "$T/none.csv" ]

# 9. ls filters.
"$SEALIST" member import filt@example.org "$T/rt.csv" > /dev/null
run member ls filt@example.org --delivery digest
expect "ls --delivery digest" 0
check "only the digest member" [ "$(cat "$T/out")" = 'jane@example.org digest enabled - "Doe, Jane"' ]
run member ls filt@example.org --delivery nomail
check "ls --delivery nomail: two" [ "$(wc -l < "$T/out")" -eq 2 ]
run member ls filt@example.org --status enabled
check "ls --status enabled: all five" [ "$(wc -l < "$T/out")" -eq 5 ]
run member ls filt@example.org --status disabled
check "ls --status disabled: none" [ ! -s "$T/out" ]
if command -v sqlite3 > /dev/null 2>&1; then
	sqlite3 "$T/sealist.db" "UPDATE members SET status = 'disabled' WHERE address = 'bob@example.org'"
	run member ls filt@example.org --status disabled --delivery regular
	check "ls --status disabled --delivery regular" \
		[ "$(cat "$T/out")" = 'bob@example.org regular disabled - "Say \"hi\" Bob"' ]
else
	ok "# SKIP the sqlite3 shell is not installed"
fi
run member ls filt@example.org --status frozen
expect "ls --status frozen" 2
run member ls filt@example.org --delivery weekly
expect "ls --delivery weekly" 2

tap_done
