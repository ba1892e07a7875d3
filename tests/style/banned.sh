#!/bin/sh
# banned.sh -- the C library calls sealist never uses (STYLE.md habit 4):
# unbounded copies and formats, and number parsers that cannot report
# errors.  One TAP line per banned name; a hit names file and line.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$top_srcdir" || exit 1

files=$(find lib src tests -name '*.[ch]' | sort)
for fn in strcpy strcat sprintf vsprintf sscanf atoi atol atoll strtok gets; do
	hits=$(grep -nE "(^|[^A-Za-z0-9_])$fn[[:space:]]*\\(" $files /dev/null | grep -v '^[^:]*:[0-9]*:[[:space:]]*\*')
	if [ -z "$hits" ]; then
		ok "no $fn() in lib/ src/ tests/"
	else
		not_ok "$fn() is banned"
		echo "$hits" | sed 's/^/# /'
	fi
done
count=$(echo "$files" | wc -l)
check "found the sources ($count files)" [ "$count" -gt 5 ]
tap_done
