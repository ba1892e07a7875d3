#!/bin/sh
# authres.sh -- lib/authres against an independent implementation,
# python3-authres (Debian package, run with /usr/bin/python3 only: the
# python3 on PATH may lack Debian's modules).  Both directions: fields we
# write must read back in python3-authres as the same methods, results,
# reasons and properties; fields python3-authres writes (some refolded)
# must read the same with our parser.  A missing oracle is a failure.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/authres_tool"
oracle="$top_srcdir/tests/oracle/authres_check.py"
py=/usr/bin/python3

if ! [ -x "$py" ] || ! "$py" -c 'import authres' 2>/dev/null; then
	not_ok "python3-authres is installed (Debian package python3-authres)"
	tap_done
	exit 1
fi
check "authres_tool is built" [ -x "$tool" ]

# report FILE -- turn the oracle's PASS/FAIL lines into TAP
report() {
	while IFS= read -r line; do
		case $line in
		PASS\ *) ok "${line#PASS }" ;;
		FAIL\ *) not_ok "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done < "$1"
}

check "authres_tool gen writes every case" sh -c '"$1" gen > "$2"' sh "$tool" "$scratch/gen.jsonl"
n=$(wc -l < "$scratch/gen.jsonl")
check "at least 30 generated fields ($n)" [ "$n" -ge 30 ]
"$py" "$oracle" check-gen "$scratch/gen.jsonl" > "$scratch/gen.out" 2>&1
report "$scratch/gen.out"

check "python3-authres writes its fields" \
	"$py" "$oracle" make-fields "$scratch/py.fields" "$scratch/py.json"
check "authres_tool parse reads them" sh -c '"$1" parse < "$2" > "$3"' sh \
	"$tool" "$scratch/py.fields" "$scratch/ours.jsonl"
"$py" "$oracle" check-parse "$scratch/py.json" "$scratch/ours.jsonl" > "$scratch/parse.out" 2>&1
report "$scratch/parse.out"
tap_done
