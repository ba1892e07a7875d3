#!/bin/sh
# NAME
#	config.sh
# SUMMARY
#	end-to-end test of sealist config export / import (issue #7)
# DESCRIPTION
#	Drives the built src/sealist on a temporary database: a round trip
#	of a list with every setting changed (the changes are generated from
#	the export itself by tests/tools/config_change_all.py, so a new
#	setting is covered without editing this file), the import of a
#	Mailman 2.1 config_list -o file (tests/data/mailman), hostile files
#	that must each be refused with their line number and leave the
#	database exactly as it was, --dry-run, -v, --all both ways, -o, and
#	the standard input and output defaults.  Prints TAP.  Needs the
#	sqlite3 shell and /usr/bin/python3.

. "${top_srcdir:-.}/tests/lib.sh"
SEALIST=$top_builddir/src/sealist
DATA=$top_srcdir/tests/data/mailman

if ! command -v sqlite3 >/dev/null 2>&1 || [ ! -x /usr/bin/python3 ]; then
	echo "1..0 # SKIP needs the sqlite3 shell and /usr/bin/python3"
	exit 0
fi

DB=$scratch/sealist.db
printf 'database = %s\n' "$DB" > "$scratch/sealist.conf"
SEALIST_CONF=$scratch/sealist.conf
export SEALIST_CONF
T=$scratch

# run ARGS...: stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$SEALIST" "$@" > "$T/out" 2> "$T/err"
	rc=$?
}

# show: the last run's output as TAP comments (after a failure).
show() {
	sed 's/^/#   out: /' "$T/out" | head -20
	sed 's/^/#   err: /' "$T/err" | head -20
}

# check WHAT CMD...: as tests/lib.sh's, showing the last run on a failure.
check() {
	what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; show; fi
}

# export LIST FILE: the list's export without its "captured on" line.
export_to() {
	"$SEALIST" config export "$1" | grep -v '^## ".*captured on' > "$2"
}

# value LIST NAME: the stored value (empty when the default applies).
value() {
	sqlite3 "$DB" "SELECT s.value FROM list_settings s JOIN lists l ON l.id = s.list_id
		WHERE l.local_part || '@' || (SELECT name FROM domains WHERE id = l.domain_id) = '$1'
		AND s.name = '$2'"
}

for l in dev copy mm caf hostile other1 other2; do
	"$SEALIST" list create "$l@example.org" > /dev/null || exit 99
done
nsettings=$("$SEALIST" list show dev@example.org | grep -c '^  [a-z0-9_]* = ')

# --- export format -------------------------------------------------------
run config export dev@example.org
[ "$rc" -eq 0 ] && [ ! -s "$T/err" ]; check "export exits 0 to stdout" [ $? -eq 0 ]
check "export header names the list and the time" \
	grep -q '^## "dev@example.org" mailing list configuration settings, captured on 20[0-9-]* [0-9:]* UTC$' "$T/out"
check "export header says secrets and members are never exported" \
	grep -q 'Secrets (the .*token key, passwords, private keys) and the' "$T/out"
check "export: every setting once ($nsettings)" \
	[ "$(grep -c '^[a-z0-9_]* = ' "$T/out")" -eq "$nsettings" ]
check "export: categories as Mailman's \"## ... options\" sections" \
	[ "$(grep -c '^## .* options' "$T/out")" -ge 9 ]
check "export: toggles list legal values as Mailman writes them" \
	grep -q '^#    0 = "No"$' "$T/out"
check "export: enumerations list every legal value" \
	sh -c "grep -B7 '^generic_nonmember_action = 1\$' '$T/out' | grep -q '^#    3 = \"discard\"\$'"
check "export: type and default in a comment" \
	grep -q '^# type: int (KB); default: 40$' "$T/out"
check "export: strings as repr(), lists, floats, multi-line text" \
	sh -c "grep -q \"^subject_prefix = '\\[%(real_name)s\\] '\$\" '$T/out' &&
	       grep -q '^accept_these_nonmembers = \\[\\]\$' '$T/out' &&
	       grep -q '^bounce_score_threshold = 5.0\$' '$T/out' &&
	       grep -q '^msg_footer = \"\"\"_____' '$T/out' &&
	       grep -q \"^dmarc_fail_action = 'hold'\$\" '$T/out'"
check "export: no token key or password in the file" \
	sh -c "! grep -qi 'token_key\|password =' '$T/out'"
check "export: -o FILE writes the same" sh -c "
	'$SEALIST' config export dev@example.org -o '$T/o.py' >'$T/o.out' &&
	[ ! -s '$T/o.out' ] && grep -v 'captured on' '$T/o.py' > '$T/o1' &&
	grep -v 'captured on' '$T/out' > '$T/o2' && cmp -s '$T/o1' '$T/o2'"
check "export: -o - writes to stdout" sh -c "
	'$SEALIST' config export dev@example.org -o - | grep -q '^real_name = '"
run config export nosuch@example.org
check "export of a list that does not exist: exit 1, no such list" \
	sh -c "[ $rc -eq 1 ] && grep -q 'no such list' '$T/err' && [ ! -s '$T/out' ]"
run config export
check "export without LIST: usage, exit 2" [ "$rc" -eq 2 ]

# --- round trip of a list with every setting changed ---------------------
"$SEALIST" config export dev@example.org \
	| /usr/bin/python3 "$top_srcdir/tests/tools/config_change_all.py" > "$T/all.py"
check "the generated file sets every setting" \
	[ "$(grep -c '^[a-z0-9_]* = ' "$T/all.py")" -eq "$nsettings" ]
run config import dev@example.org -i "$T/all.py"
check "import of every setting changed: exit 0, all $nsettings changed" \
	sh -c "[ $rc -eq 0 ] && grep -qx 'dev@example.org: $nsettings settings changed' '$T/out'"
check "no setting of the list is at its default any more" \
	sh -c "! '$SEALIST' list show dev@example.org | grep -q '(default)'"
check "non-ASCII text kept (description)" \
	sh -c "[ \"\$(sqlite3 '$DB' \"SELECT value FROM list_settings WHERE name = 'description' LIMIT 1\")\" = \"Ünïcödé 'single' \\\"double\\\" back\\\\slash description\" ]"
check "the empty string kept (msg_footer)" \
	sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM list_settings WHERE name = 'msg_footer' AND value = ''\")\" = 1 ]"
"$SEALIST" config export dev@example.org > "$T/a.py"
run config import copy@example.org < "$T/a.py"
check "export | import into a second list (stdin): exit 0" [ "$rc" -eq 0 ]
"$SEALIST" config export copy@example.org > "$T/b.py"
check "export of the copy differs in two lines (the header, before and after)" \
	[ "$(diff "$T/a.py" "$T/b.py" | grep -c '^[<>]')" -eq 2 ]
diff "$T/a.py" "$T/b.py" | grep '^[<>]' | grep -v '^[<>] ## "[a-z]*@example.org" mailing list configuration settings, captured on ' > "$T/d"
check "the differing lines are the header lines only" [ ! -s "$T/d" ]
check "the two files are otherwise byte for byte equal" \
	sh -c "grep -v 'captured on' '$T/a.py' > '$T/a1'; grep -v 'captured on' '$T/b.py' > '$T/b1'; cmp -s '$T/a1' '$T/b1'"
run config import copy@example.org -i "$T/a.py"
check "importing the same file again: unchanged" \
	sh -c "[ $rc -eq 0 ] && grep -qx 'copy@example.org: unchanged' '$T/out'"

# --- Mailman 2.1 migration -----------------------------------------------
export_to mm@example.org "$T/mm.before"
run config import mm@example.org -i "$DATA/dev.py"
check "Mailman file without --ignore-unknown: exit 1" [ "$rc" -eq 1 ]
check "  its Mailman-only names are errors with their lines" \
	grep -q "dev.py:16: unknown setting owner (a Mailman 2.1 setting" "$T/err"
export_to mm@example.org "$T/mm.after"
check "  and the list is unchanged" cmp -s "$T/mm.before" "$T/mm.after"
run config import mm@example.org -i "$DATA/dev.py" --ignore-unknown
check "Mailman file with --ignore-unknown: exit 0" [ "$rc" -eq 0 ]
check "  skipped report names the Mailman-only settings" sh -c "
	grep -q 'dev.py:16: skipped: owner (Mailman only)' '$T/err' &&
	grep -q 'skipped: ban_list (Mailman only)' '$T/err' &&
	grep -q 'skipped: topics (Mailman only)' '$T/err' &&
	[ \$(grep -c 'skipped: ' '$T/err') -eq 70 ]"
check "  no shared setting is skipped" \
	sh -c "! grep -E 'skipped: (from_is_list|msg_footer|bounce_info_stale_after|generic_nonmember_action) ' '$T/err'"
"$SEALIST" config export mm@example.org > "$T/mm.py"
for want in "real_name = 'Dev'" "subject_prefix = '[Dev] '" "from_is_list = 1" \
	"dmarc_moderation_action = 2" "dmarc_quarantine_moderation_action = 1" \
	"dmarc_none_moderation_action = 1" "reply_goes_to_list = 2" \
	"reply_to_address = 'dev-replies@example.org'" "generic_nonmember_action = 2" \
	"bounce_info_stale_after = 10" "bounce_you_are_disabled_warnings_interval = 5" \
	"bounce_score_threshold = 3.0" "send_welcome_msg = 1" "personalize = 0" \
	"subscribe_policy = 3" "max_message_size = 100" "archive_private = 1" \
	"reject_these_nonmembers = ['troll@example.net']" \
	"discard_these_nonmembers = ['^.*@spam\\\\.example\$', 'bulk@example.com']"; do
	check "  Mailman value: $want" grep -qxF "$want" "$T/mm.py"
done
check "  Mailman byte string \\xc3\\xa9 is UTF-8 é" \
	[ "$(value mm@example.org description)" = "Café developers" ]
printf '_______________________________________________\n%%(real_name)s mailing list\n%%(real_name)s@%%(host_name)s\n%%(web_page_url)slistinfo%%(cgiext)s/%%(_internal_name)s' > "$T/footer.want"
value mm@example.org msg_footer > "$T/footer.got"
printf '%s' "$(cat "$T/footer.got")" > "$T/footer.got2"
check "  Mailman msg_footer (triple-quoted) kept line by line" cmp -s "$T/footer.want" "$T/footer.got2"
check "  Mailman's regex list entry kept" \
	[ "$(value mm@example.org accept_these_nonmembers)" = "$(printf 'boss@example.com\n^[^@]+@partner\\.example$')" ]

export_to caf@example.org "$T/caf.before"
run config import caf@example.org -i "$DATA/latin1.py" --charset utf-8
check "Latin-1 byte strings read as UTF-8 (--charset over the coding line): exit 1 with the line" \
	sh -c "[ $rc -eq 1 ] && grep -q 'latin1.py:12: description: not valid UTF-8' '$T/err' &&
	       grep -q 'latin1.py:16: info: not valid UTF-8' '$T/err' && grep -q -- '--charset latin-1' '$T/err'"
export_to caf@example.org "$T/caf.after"
check "  and the list is unchanged" cmp -s "$T/caf.before" "$T/caf.after"
run config import caf@example.org -i "$DATA/latin1.py" --charset latin-1
[ "$rc" -eq 0 ] && [ "$(value caf@example.org description)" = 'Café français' ]
check "--charset latin-1 converts byte strings" [ $? -eq 0 ]
check "  u'' strings stay as they are (\\xe9 = U+00E9)" \
	[ "$(value caf@example.org subject_prefix)" = "[Café] " ]
check "  raw Latin-1 bytes in a triple-quoted string converted" \
	[ "$(value caf@example.org info)" = "$(printf 'Liste du café.\nPrière de lire les règles.')" ]
sqlite3 "$DB" "DELETE FROM list_settings WHERE list_id = (SELECT id FROM lists WHERE local_part = 'caf')"
run config import caf@example.org -i "$DATA/latin1.py"
[ "$rc" -eq 0 ] && [ "$(value caf@example.org description)" = 'Café français' ]
check "without --charset the file's coding line (iso-8859-1) decides" [ $? -eq 0 ]
sed 's/coding: iso-8859-1/coding: koi8-r/' "$DATA/latin1.py" > "$T/koi8.py"
run config import caf@example.org -i "$T/koi8.py"
check "a file declaring another charset is refused on line 1" \
	sh -c "[ $rc -eq 1 ] && grep -q 'koi8.py:1: the file declares coding koi8-r' '$T/err'"
run config import caf@example.org -i "$DATA/latin1.py" --charset koi8-r
check "an unknown --charset: usage, exit 2" [ "$rc" -eq 2 ]

# --- hostile files: refused with the line, database unchanged -------------
# refused WHAT LINE FILE [OPTIONS]: exit 1, "FILE:LINE" in stderr, no change.
refused() {
	r_what=$1 r_line=$2 r_file=$3
	shift 3
	export_to hostile@example.org "$T/h.before"
	sqlite3 "$DB" .dump > "$T/dump.before"
	run config import hostile@example.org -i "$r_file" "$@"
	export_to hostile@example.org "$T/h.after"
	sqlite3 "$DB" .dump > "$T/dump.after"
	if [ "$rc" -eq 1 ] && grep -q "$(basename "$r_file"):$r_line[:]" "$T/err" \
	   && cmp -s "$T/h.before" "$T/h.after" && cmp -s "$T/dump.before" "$T/dump.after"; then
		ok "hostile: $r_what: refused at line $r_line, nothing changed"
	else
		not_ok "hostile: $r_what: refused at line $r_line, nothing changed (exit $rc)"
		show
	fi
}

printf 'emergency = 1\n\ndescription = __import__("os").system("touch %s/pwned")\n' "$T" > "$T/import.py"
refused "__import__('os').system(...)" 3 "$T/import.py"
check "  nothing was executed" [ ! -e "$T/pwned" ]
printf 'emergency = 1\ndescription = %s\n' "'unbalanced" > "$T/quote.py"
refused "unbalanced quotes" 2 "$T/quote.py"
printf 'emergency = 1\ninfo = """never closed\n\n' > "$T/quote3.py"
refused "an unclosed triple-quoted string" 2 "$T/quote3.py"
/usr/bin/python3 -c "
import sys
sys.stdout.write('emergency = 1\ninfo = \'' + 'x' * (2 * 1024 * 1024) + '\'\n')" > "$T/big2.py"
refused "a 2 MiB string" 2 "$T/big2.py"
printf 'accept_these_nonmembers = %s%s\n' "$(head -c 100000 /dev/zero | tr '\0' '[')" \
	"$(head -c 100000 /dev/zero | tr '\0' ']')" > "$T/deep.py"
refused "lists nested 100000 deep" 1 "$T/deep.py"
printf 'emergency = 1\ndescription = "a\000b"\n' > "$T/nul.py"
refused "a NUL byte" 2 "$T/nul.py"
{ echo 'emergency = 1'; i=2; while [ $i -lt 500 ]; do echo "# filler line $i"; i=$((i + 1)); done
  echo 'generic_nonmember_action = 7'; } > "$T/enum500.py"
refused "an invalid enum value on line 500" 500 "$T/enum500.py"
check "  the error says what is legal" grep -q 'generic_nonmember_action: expected one of 0 (accept)' "$T/err"
printf 'emergency = 1\n\nno_such_setting = 1\n' > "$T/unknown.py"
refused "an unknown name" 3 "$T/unknown.py"
printf 'emergency = 1\n\nemergency = 0\n' > "$T/dup.py"
refused "a duplicate name" 3 "$T/dup.py"
check "  the error names the first line" grep -q 'emergency is set twice (first on line 1)' "$T/err"
printf 'emergency = 1\nmax_message_size = "big"\n' > "$T/type.py"
refused "a string for an int" 2 "$T/type.py"
printf 'emergency = 1\naccept_these_nonmembers = ["not an address"]\n' > "$T/pat.py"
refused "a pattern that is neither address nor regex" 2 "$T/pat.py"
printf 'emergency = 1\nreal_name = "two\\nlines"\n' > "$T/line.py"
refused "a newline in a one-line string" 2 "$T/line.py"
printf 'emergency = 1\nmax_days_to_hold = -1\n' > "$T/range.py"
refused "an int out of range" 2 "$T/range.py"

# 99,000 different unknown names: refused, and quickly (no pairwise checks).
/usr/bin/python3 -c "
import sys
sys.stdout.write(''.join('unknown_%d = 1\\n' % i for i in range(99000)))" > "$T/many.py"
start=$(date +%s)
refused "99,000 unknown names" 1 "$T/many.py"
took=$(( $(date +%s) - start ))
check "  fast (${took}s)" [ "$took" -le 10 ]
check "  each reported with its line" grep -q 'many.py:99000: unknown setting unknown_98999' "$T/err"

# 100 MB on standard input: refused at once, without reading it all.
export_to hostile@example.org "$T/h.before"
start=$(date +%s)
{ printf "description = '"; head -c 100000000 /dev/zero | tr '\0' x; printf "'\n"; } \
	| "$SEALIST" config import hostile@example.org > "$T/out" 2> "$T/err"
rc=$?
took=$(( $(date +%s) - start ))
export_to hostile@example.org "$T/h.after"
check "hostile: a 100 MB string on stdin: exit 1, line 1, too large" \
	sh -c "[ $rc -eq 1 ] && grep -q 'stdin:1: the file is larger than 16 MiB' '$T/err'"
check "  fails fast (${took}s)" [ "$took" -le 10 ]
check "  and nothing changed" cmp -s "$T/h.before" "$T/h.after"

# --ignore-unknown turns an unknown name into a warning.
run config import hostile@example.org -i "$T/unknown.py" --ignore-unknown
check "--ignore-unknown: an unknown name is a warning, the rest applied" \
	sh -c "[ $rc -eq 0 ] && grep -q 'unknown.py:3: warning: unknown setting no_such_setting' '$T/err' &&
	       [ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM list_settings WHERE name = 'emergency' AND value = '1'\")\" -ge 1 ]"

# --- --dry-run and -v -----------------------------------------------------
printf 'max_message_size = 77\nsubject_prefix = "[O] "\n' > "$T/change.py"
export_to other1@example.org "$T/o.before"
run config import other1@example.org -i "$T/change.py" --dry-run
export_to other1@example.org "$T/o.after"
check "--dry-run prints name: old → new" \
	sh -c "[ $rc -eq 0 ] && grep -qx 'max_message_size: 40 → 77' '$T/out' &&
	       grep -qxF \"subject_prefix: '[%(real_name)s] ' → '[O] '\" '$T/out'"
check "--dry-run changes nothing" cmp -s "$T/o.before" "$T/o.after"
run config import other1@example.org -i "$T/change.py" -v
check "-v prints each change as it is applied" \
	sh -c "[ $rc -eq 0 ] && grep -qx 'max_message_size: 40 → 77' '$T/out' &&
	       grep -qx 'other1@example.org: 2 settings changed' '$T/out'"
check "  and they are applied" [ "$(value other1@example.org max_message_size)" = 77 ]
run config import nosuch@example.org -i "$T/change.py"
check "import into a list that does not exist: exit 1, no such list" \
	sh -c "[ $rc -eq 1 ] && grep -q 'no such list' '$T/err' && [ ! -s '$T/out' ]"
run config import other1@example.org -i "$T/no-such-file.py"
check "import of a missing file: exit 1" [ "$rc" -eq 1 ]
run config import
check "import without LIST: usage, exit 2" [ "$rc" -eq 2 ]
run config import other1@example.org --all "$T"
check "import LIST --all DIR: usage, exit 2" [ "$rc" -eq 2 ]

# --- --all both ways ------------------------------------------------------
run config export --all "$T/all"
nlists=$("$SEALIST" list ls | wc -l)
check "export --all: one file per list, named LIST@DOMAIN.py" \
	sh -c "[ $rc -eq 0 ] && [ \$(ls '$T/all' | grep -c '@example.org.py\$') -eq $nlists ] &&
	       grep -qx 'exported $nlists lists to $T/all' '$T/out'"
check "  each file is that list's export" \
	grep -q '^## "other2@example.org" mailing list' "$T/all/other2@example.org.py"
sed 's/^max_message_size = .*/max_message_size = 55/' "$T/all/other2@example.org.py" > "$T/x" \
	&& mv "$T/x" "$T/all/other2@example.org.py"
sed 's/^generic_nonmember_action = .*/generic_nonmember_action = 9/; s/^max_message_size = .*/max_message_size = 66/' \
	"$T/all/caf@example.org.py" > "$T/x" && mv "$T/x" "$T/all/caf@example.org.py"
export_to caf@example.org "$T/caf.before"
run config import --all "$T/all" --dry-run
check "import --all --dry-run: summary, nothing changed" \
	sh -c "[ $rc -eq 1 ] && grep -qx 'other2@example.org: max_message_size: 40 → 55' '$T/out' &&
	       grep -qx 'dry run: 1 list would change, $((nlists - 2)) unchanged, 1 refused; nothing changed' '$T/out'"
check "  other2 not changed by the dry run" [ -z "$(value other2@example.org max_message_size)" ]
run config import --all "$T/all"
check "import --all: applied 1 list, $((nlists - 2)) unchanged, 1 refused" \
	sh -c "[ $rc -eq 1 ] && grep -qx 'applied 1 list, $((nlists - 2)) unchanged, 1 refused' '$T/out'"
check "  the refused file's error has its line" grep -q 'caf@example.org.py:[0-9]*: generic_nonmember_action' "$T/err"
check "  other2 applied" [ "$(value other2@example.org max_message_size)" = 55 ]
export_to caf@example.org "$T/caf.after"
check "  the refused list is all or nothing (its valid change not applied)" cmp -s "$T/caf.before" "$T/caf.after"
rm -f "$T/all/caf@example.org.py"
run config import --all "$T/all" -v
check "import --all again: everything unchanged, exit 0" \
	sh -c "[ $rc -eq 0 ] && grep -qx 'applied 0 lists, $((nlists - 1)) unchanged, 0 refused' '$T/out'"

tap_done
