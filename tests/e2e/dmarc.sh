#!/bin/sh
# dmarc.sh -- lib/dmarc against real DNS and an independent evaluator.
# The zone of tests/data/dmarc/cases.txt is served by dnsmasq on a random
# loopback port; tests/unit/dmarc_tool evaluates every case in both modes
# through lib/dns, and tests/oracle/dmarc_oracle.py asks authheaders
# (Debian python3-authheaders, RFC 7489 mode) the same questions against
# the same server.  "servfail" names are forwarded to a second dnsmasq
# that refuses everything (REFUSED reaches us: a temporary error).
# A missing tool is a failure, never a skip.
. "${top_srcdir:-.}/tests/lib.sh"
tool="$top_builddir/tests/unit/dmarc_tool"
cases="$top_srcdir/tests/data/dmarc/cases.txt"
oracle="$top_srcdir/tests/oracle/dmarc_oracle.py"

dnsmasq=$(command -v dnsmasq || ls /usr/sbin/dnsmasq 2>/dev/null)
if [ -z "$dnsmasq" ] || ! /usr/bin/python3 -c 'import authheaders, dns.resolver' 2>/dev/null; then
	not_ok "dnsmasq (dnsmasq-base) and /usr/bin/python3 with authheaders (python3-authheaders) are installed"
	tap_done
	exit 1
fi
check "dmarc_tool is built" [ -x "$tool" ]

check "refusing upstream dnsmasq starts" dnsmasq_start upstream
up_port=$port

# The zone lines become dnsmasq options (quotes are literal on its
# command line; commas would split a TXT record into strings).
set -- --local=/com/ --local=/org/ --local=/uk/
while read -r kind name value; do
	case $kind in
	txt)	set -- "$@" "--txt-record=$name,$value" ;;
	a)	set -- "$@" "--host-record=$name,192.0.2.1" ;;
	servfail) set -- "$@" "--server=/$name/127.0.0.1#$up_port" ;;
	esac
done <<ZONE
$(sed -n '/^case /q;p' "$cases" | grep -v '^#')
ZONE
check "dnsmasq with the DMARC zone starts" dnsmasq_start main "$@"
ns="127.0.0.1:$port"

# relay TAP lines from a sub-run, renumbered into ours
relay() {
	while IFS= read -r line; do
		case $line in
		"ok "*)	ok "${line#ok [0-9]* - }" ;;
		"not ok "*) not_ok "${line#not ok [0-9]* - }" ;;
		"#"*)	echo "$line" ;;
		esac
	done
}

start=$(date +%s)
"$tool" -s "$ns" "$cases" >"$scratch/c.tap" 2>"$scratch/c.err"
c_rc=$?
relay <"$scratch/c.tap"
check "dmarc_tool exit status (real DNS)" [ "$c_rc" -eq 0 ]
[ -s "$scratch/c.err" ] && diag "dmarc_tool stderr: $(cat "$scratch/c.err")"

/usr/bin/python3 "$oracle" --port "$port" "$cases" >"$scratch/o.tap" 2>"$scratch/o.err"
o_rc=$?
relay <"$scratch/o.tap"
check "oracle exit status" [ "$o_rc" -eq 0 ]
[ -s "$scratch/o.err" ] && diag "oracle stderr: $(tail -5 "$scratch/o.err")"
check "oracle checked at least 60 cases" \
	[ "$(grep -c '^ok .*authheaders\|^not ok .*authheaders' "$scratch/o.tap")" -ge 60 ]
check "whole run under 60 s ($(( $(date +%s) - start )) s)" \
	[ $(( $(date +%s) - start )) -lt 60 ]
tap_done
