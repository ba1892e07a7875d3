#!/bin/sh
# NAME
#	cli_doc.sh
# SUMMARY
#	every sealist command and option is in doc/sealist.1
# DESCRIPTION
#	Takes the command list from 'sealist --help' (its lines "  GROUP
#	NAME ..."), so a new command is checked without touching this file.
#	For each command:
#	  - 'sealist GROUP NAME --help' exits 0 and prints its usage line;
#	  - doc/sealist.1 has an entry for it: a tag line (the line after
#	    .TP or .TQ) whose text, fonts and quotes removed, starts with
#	    "GROUP NAME";
#	  - every --option of the usage line appears in that entry, which runs
#	    to the next command's entry or the next .SH/.SS.
#	One TAP line per check.  SEALIST and SEALIST_MAN override the program
#	and the page (to try the check on other inputs).
#
#	KNOWN_UNDOCUMENTED lists commands missing from the page and
#	KNOWN_BAD_HELP those whose --help fails, for a gap that cannot be
#	closed at once: their checks are TAP TODO (in the log, not failing
#	the run) and an XPASS, which fails it, says the entry should go.
#	Both are empty: every command is documented and its --help works.
. "${top_srcdir:-.}/tests/lib.sh"

SEALIST=${SEALIST:-$top_builddir/src/sealist}
MAN=${SEALIST_MAN:-$top_srcdir/doc/sealist.1}
KNOWN_UNDOCUMENTED=""
KNOWN_BAD_HELP=""

# Help must not depend on a configuration that happens to be installed.
SEALIST_CONF=$scratch/none.conf
export SEALIST_CONF
: > "$SEALIST_CONF"

todo() {		# todo LIST CMD REASON -- " # TODO REASON" if CMD is in LIST
	case "|$1|" in
	*"|$2|"*) echo " # TODO $3" ;;
	esac
}
result() {		# result STATUS WHAT [TODO]
	if [ "$1" -eq 0 ]; then
		ok "$2${3:-}"
	elif [ -n "${3:-}" ]; then
		# An expected failure: in the log, not in tap_done's count.
		tap_n=$((tap_n + 1)); echo "not ok $tap_n - $2$3"
	else
		not_ok "$2"
	fi
}

if ! "$SEALIST" --help > "$scratch/help" 2>&1; then
	not_ok "sealist --help exits 0"
	tap_done
	exit 1
fi
sed -n 's/^  \([a-z][a-z0-9-]*\) \([a-z][a-z0-9-]*\)\( .*\)\{0,1\}$/\1 \2/p' "$scratch/help" \
	> "$scratch/commands"
check "sealist --help lists commands ($(wc -l < "$scratch/commands"))" \
	[ "$(wc -l < "$scratch/commands")" -gt 10 ]
check "the page $MAN exists" [ -r "$MAN" ]

# The page as "LINE<TAB>KIND<TAB>TEXT": KIND is tag (the line after .TP/.TQ),
# sect (.SH/.SS) or text; TEXT without macro names, font changes, quotes,
# \- and \&, and with runs of blanks made one space.
awk '
	{
		kind = prev_tp ? "tag" : "text"
		if ($0 ~ /^\.(SH|SS)([ \t]|$)/) kind = "sect"
		prev_tp = ($0 ~ /^\.(TP|TQ)([ \t]|$)/)
		t = $0
		sub(/^\.[A-Za-z]+[ \t]*/, "", t)
		gsub(/\\f(\[[^]]*\]|\(..|.)/, "", t)
		gsub(/\\-/, "-", t); gsub(/\\&/, "", t); gsub(/\\\(dq/, "", t)
		gsub(/"/, "", t); gsub(/[ \t]+/, " ", t); sub(/^ /, "", t)
		printf "%d\t%s\t%s\n", NR, kind, t
	}' "$MAN" > "$scratch/page"

# The first tag line of each command's entry: "LINE GROUP NAME", or "0 GROUP NAME".
while read -r group name; do
	line=$(awk -F '\t' -v c="$group $name" '$2 == "tag" && (index($3, c " ") == 1 || $3 == c) { print $1; exit }' \
		"$scratch/page")
	echo "${line:-0} $group $name"
done < "$scratch/commands" > "$scratch/starts"

while read -r start group name; do
	cmd="$group $name"
	"$SEALIST" $group $name --help < /dev/null > "$scratch/cmdhelp" 2> "$scratch/cmderr"
	st=$?
	usage=$(sed -n 1p "$scratch/cmdhelp")
	case "$usage" in
	"usage: sealist [-c CONF] $cmd"|"usage: sealist [-c CONF] $cmd "*) good=0 ;;
	*) good=1 ;;
	esac
	[ "$st" -eq 0 ] && [ "$good" -eq 0 ] && [ ! -s "$scratch/cmderr" ]
	result $? "sealist $cmd --help exits 0 and prints its usage" \
		"$(todo "$KNOWN_BAD_HELP" "$cmd" "--help fails: see cli_auth_begin")"
	doc_todo=$(todo "$KNOWN_UNDOCUMENTED" "$cmd" "not in doc/sealist.1 yet")
	[ "$start" -gt 0 ]
	result $? "doc/sealist.1 has an entry for $cmd" "$doc_todo"
	# The entry: from its tag line to the next command's entry or section.
	end=$(awk -v s="$start" '$1 > s { print $1 }' "$scratch/starts" | sort -n | head -1)
	sect=$(awk -F '\t' -v s="$start" '$1 > s && $2 == "sect" { print $1; exit }' "$scratch/page")
	for e in $sect; do
		if [ -z "$end" ] || [ "$e" -lt "$end" ]; then end=$e; fi
	done
	awk -F '\t' -v s="$start" -v e="${end:-999999999}" 's > 0 && $1 >= s && $1 < e { print $3 }' \
		"$scratch/page" > "$scratch/entry"
	for opt in $(echo "$usage" | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u); do
		grep -q -E -- "(^|[^a-z0-9-])$opt([^a-z0-9-]|\$)" "$scratch/entry"
		result $? "doc/sealist.1 documents $cmd $opt" "$doc_todo"
	done
done < "$scratch/starts"
tap_done
