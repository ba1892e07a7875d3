#!/bin/sh
# NAME
#	dkim_interop.sh
# SUMMARY
#	sealist's DKIM signer and verifier against dkimpy and OpenDKIM
# DESCRIPTION
#	For every message of tests/data/dkim-interop (written by its
#	make-corpus.sh into the scratch directory), both algorithms
#	(rsa-sha256 with a 2048-bit key, ed25519-sha256) and all four
#	canonicalization pairs:
#
#	  sign       "sealist dkim sign" exits 0 and its output is the input
#	             with one DKIM-Signature field added at the top
#	  self       "sealist dkim verify" passes what sealist signed
#	  >dkimpy    dkimpy passes what sealist signed
#	  >opendkim  OpenDKIM ("opendkim -t") passes what sealist signed
#	  dkimpy>    sealist passes what dkimpy signed (dkimpy signs every
#	             field present, Received too, and over-signs From)
#	  opendkim>  sealist passes what OpenDKIM signed
#
#	and, for three messages per algorithm, every one-letter change to a
#	signed header value or to the body must make both sealist and dkimpy
#	reject the message.
#
#	Keys are made at run time with openssl; the key records are served
#	by dnsmasq on 127.0.0.1 at a random port, and every verifier (sealist,
#	dkimpy through dnspython, OpenDKIM through libunbound) asks it over
#	real DNS.  The oracle helpers are tests/oracle/*.py, run with Debian's
#	/usr/bin/python3.
#
#	Known oracle bugs are skipped by name (TAP "# SKIP"), never counted
#	as a pass: OpenDKIM 2.11.0 cannot sign ed25519 with simple header
#	canonicalization; OpenDKIM rebuilds every field as "Name: value", so
#	with simple header canonicalization it fails fields that have no
#	space or more than one white space octet after the colon
#	(tests/oracle/opendkim_quirks.py finds them).  See
#	tests/oracle/README for these and the ones the helpers work around.
#
#	A missing tool is a failure, never a skip.  The harness sets
#	top_srcdir and top_builddir (absolute paths).
. "${top_srcdir:-.}/tests/lib.sh"

sealist=$top_builddir/src/sealist
oracle=$top_srcdir/tests/oracle
py=/usr/bin/python3
dnsmasq=/usr/sbin/dnsmasq
opendkim=/usr/sbin/opendkim
domain=interop.example.org	# not under .test: libunbound (OpenDKIM) never asks for those
tab=$(printf '\t')
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
started=$(date +%s)

# ------------------------------------------------------------ prerequisites

missing=""
for t in "$py" "$dnsmasq" "$opendkim"; do [ -x "$t" ] || missing="$missing $t"; done
command -v openssl >/dev/null || missing="$missing openssl"
[ -z "$missing" ] && ! "$py" -c 'import dkim, nacl.signing, dns.resolver' 2>/dev/null &&
	missing="$missing python3-dkim/python3-nacl/python3-dnspython"
if [ -n "$missing" ]; then
	not_ok "tools are installed (scripts/deps.sh test); missing:$missing"
	tap_done
	exit 1
fi
if ! [ -x "$sealist" ] || ! "$sealist" dkim --help >/dev/null 2>&1; then
	not_ok "src/sealist is built and has the dkim command"
	tap_done
	exit 1
fi

printf '# written by tests/e2e/dkim_interop.sh\ndatabase = %s\n' "$scratch/sealist.db" \
	> "$scratch/sealist.conf"
SEALIST_CONF=$scratch/sealist.conf
export SEALIST_CONF

corpus=$scratch/corpus
sh "$top_srcdir/tests/data/dkim-interop/make-corpus.sh" "$corpus"
names=$(cut -f1 "$corpus/INDEX")
check "the corpus has at least 60 messages ($(echo "$names" | wc -l))" \
	[ "$(echo "$names" | wc -l)" -ge 60 ]

# ------------------------------------------------------------------ keys

keys=$scratch/keys
mkdir -p "$keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/rsa.pem" 2>/dev/null &&
openssl genpkey -algorithm ED25519 -out "$keys/ed25519.pem" 2>/dev/null
check "openssl made an RSA-2048 and an Ed25519 key" test -s "$keys/rsa.pem" -a -s "$keys/ed25519.pem"
rsa_p=$(openssl pkey -in "$keys/rsa.pem" -pubout -outform DER 2>/dev/null | base64 | tr -d '\n')
# RFC 8463: p= is the raw 32-octet key, the tail of the SubjectPublicKeyInfo
ed_p=$(openssl pkey -in "$keys/ed25519.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | base64)
{
	echo "rsa2048._domainkey.$domain TXT \"v=DKIM1; k=rsa; p=$rsa_p\""
	echo "ed25519._domainkey.$domain TXT \"v=DKIM1; k=ed25519; p=$ed_p\""
} > "$keys/records.txt"
check "key records: RSA p= is ${#rsa_p} octets (> 255), Ed25519 p= ${#ed_p}" \
	test ${#rsa_p} -gt 255 -a ${#ed_p} -eq 44

# ---------------------------------------------------------------- dnsmasq

# start_dnsmasq RECORDS -- serve RECORDS on a free random port; set $port
start_dnsmasq() {
	"$py" "$oracle/dnsmasq_args.py" "$1" > "$scratch/dnsmasq.args" || return 1
	set --
	while IFS= read -r arg; do set -- "$@" "$arg"; done < "$scratch/dnsmasq.args"
	dnsmasq_start dnsmasq --local=/#/ "$@"
}
check "dnsmasq serves the key records on 127.0.0.1" start_dnsmasq "$keys/records.txt"
ns=127.0.0.1:$port
got=$("$py" -c '
import sys; sys.path.insert(0, sys.argv[1]); import oracle_lib
print(oracle_lib.dnsfunc(sys.argv[2])("rsa2048._domainkey." + sys.argv[3]).decode())' \
	"$oracle" "$ns" "$domain" 2>&1)
check "the RSA record comes back whole over DNS" [ "$got" = "v=DKIM1; k=rsa; p=$rsa_p" ]

# ----------------------------------------------------------------- modes

algos="rsa ed25519"
canons="simple/simple simple/relaxed relaxed/simple relaxed/relaxed"
selector() { if [ "$1" = rsa ]; then echo rsa2048; else echo ed25519; fi; }
modedir() { echo "$scratch/work/$1.$(echo "$2" | tr / -)"; }
alg_name() { if [ "$1" = rsa ]; then echo rsa-sha256; else echo ed25519-sha256; fi; }

# sealist_verify FILE -- stdout to FILE.sv, status to FILE.svrc
sealist_verify() {
	"$sealist" dkim verify --nameserver "$ns" --now "$(date +%s)" \
		< "$1" > "$1.sv" 2>&1
	echo $? > "$1.svrc"
}

# Phase 1 (one background job per mode): sealist signs; the oracles sign.
# (Wait for the jobs by pid: a bare "wait" would wait for dnsmasq too.)
now=$(date +%s)
jobs=""
for a in $algos; do
	for c in $canons; do
		d=$(modedir "$a" "$c")
		mkdir -p "$d/sealist" "$d/dkimpy" "$d/opendkim"
		(
			for n in $names; do
				"$sealist" dkim sign --domain "$domain" --selector "$(selector "$a")" \
					--key "$keys/$a.pem" --algo "$a" --canon "$c" --timestamp "$now" \
					< "$corpus/$n.eml" > "$d/sealist/$n.eml" 2> "$d/sealist/$n.eml.err"
				echo $? > "$d/sealist/$n.eml.rc"
			done
			"$py" "$oracle/dkimpy_sign.py" --key "$keys/$a.pem" --domain "$domain" \
				--selector "$(selector "$a")" --algo "$a" --canon "$c" \
				--outdir "$d/dkimpy" $(for n in $names; do echo "$corpus/$n.eml"; done) \
				> "$d/dkimpy/sign.log" 2>&1
			case $a/$c in
			ed25519/simple/*) ;;	# OpenDKIM bug: skipped below
			*)	"$py" "$oracle/opendkim_sign.py" --key "$keys/$a.pem" --domain "$domain" \
					--selector "$(selector "$a")" --algo "$a" --canon "$c" \
					--outdir "$d/opendkim" $(for n in $names; do echo "$corpus/$n.eml"; done) \
					> "$d/opendkim/sign.log" 2>&1 ;;
			esac
		) &
		jobs="$jobs $!"
	done
done
wait $jobs

# Phase 2: the oracles judge sealist's signatures and their own (controls);
# sealist judges its own and theirs.
jobs=""
for a in $algos; do
	for c in $canons; do
		d=$(modedir "$a" "$c")
		(
			"$py" "$oracle/top_field.py" --suffix .top \
				$(for n in $names; do echo "$corpus/$n.eml $d/sealist/$n.eml"; done) >/dev/null
			"$py" "$oracle/dkimpy_verify.py" --dns "$ns" --suffix .dkimpy \
				"$d"/sealist/*.eml "$d"/dkimpy/*.eml $(ls "$d"/opendkim/*.eml 2>/dev/null) >/dev/null
			"$py" "$oracle/opendkim_quirks.py" --suffix .quirk \
				"$d"/sealist/*.eml $(ls "$d"/opendkim/*.eml 2>/dev/null) >/dev/null
			"$py" "$oracle/opendkim_verify.py" --dns "$ns" --suffix .opendkim --jobs 1 \
				"$d"/sealist/*.eml >/dev/null
			for f in "$d"/sealist/*.eml "$d"/dkimpy/*.eml $(ls "$d"/opendkim/*.eml 2>/dev/null); do
				sealist_verify "$f"
			done
		) &
		jobs="$jobs $!"
	done
done
wait $jobs

# ------------------------------------------------------------ verdicts

# sv_result FILE -- sets sv_res (pass / fail / ... / "none" / "error") and
# sv_line (sealist's output) for FILE's single signature
sv_result() {
	sv_line=""; sv_res=error
	[ -s "$1.sv" ] && IFS= read -r sv_line < "$1.sv"
	read -r sv_rc < "$1.svrc"
	case $sv_line in
	*" result="*) sv_res=${sv_line##* result=}; sv_res=${sv_res%% *} ;;
	"") sv_res=none ;;
	esac
	# exit 0 iff >= 1 signature and all pass; one signature here
	if [ "$sv_res" = pass ] && [ "$sv_rc" != 0 ]; then sv_res="pass-but-exit-$sv_rc"; fi
	if [ "$sv_res" != pass ] && [ "$sv_rc" = 0 ]; then sv_res="$sv_res-but-exit-0"; fi
}
# oracle_result FILE SUFFIX -- sets or_res and or_why from FILE+SUFFIX
oracle_result() {
	or_res=missing; or_why="no verdict file"
	[ -e "$1$2" ] && IFS=$tab read -r or_res or_why < "$1$2"
}

tally() {	# tally KEY -- count a result under KEY (pass/fail/skip per direction)
	eval "cnt_$1=\$(( \${cnt_$1:-0} + 1 ))"
}
# tapsafe TEXT -- TEXT on one line, without the backslashes that the echo
# in tests/lib.sh would interpret (oracle reasons quote bytes)
tapsafe() { printf '%s' "$1" | tr '\\\r\n' '/  '; }
# result DIRECTION OK|FAIL|SKIP TEXT [DIAG...]
result() {
	dir=$1 st=$2 text=$3; shift 3
	case $st in
	OK)	ok "$text"; tally "${dir}_pass" ;;
	SKIP)	ok "$text # SKIP $(tapsafe "$1")"; tally "${dir}_skip"; shift ;;
	*)	not_ok "$text"; tally "${dir}_fail" ;;
	esac
	for line in "$@"; do diag "   $(tapsafe "$line")"; done
}

for n in $names; do
	for a in $algos; do
		for c in $canons; do
			d=$(modedir "$a" "$c")
			m="$n $(alg_name "$a") $c"
			s=$d/sealist/$n.eml
			read -r rc < "$s.rc"
			read -r top top_why < "$s.top" 2>/dev/null || top=missing
			signed=no
			if [ "$rc" = 0 ] && [ "$top" = ok ]; then
				signed=yes
				result sign OK "sign $m"
			else
				result sign FAIL "sign $m" "sealist dkim sign exit $rc: $(head -c 300 "$s.err")" \
					"output check: $top $top_why"
			fi
			sv_result "$s"
			oracle_result "$s" .dkimpy; dk_res=$or_res dk_why=$or_why
			oracle_result "$s" .opendkim; od_res=$or_res od_why=$or_why
			if [ "$signed" = no ]; then
				result self FAIL "sealist>sealist $m" "no usable signed output (see the sign line)"
				result to_dkimpy FAIL "sealist>dkimpy $m" "no usable signed output (see the sign line)"
				result to_opendkim FAIL "sealist>opendkim $m" "no usable signed output (see the sign line)"
			else
				if [ "$sv_res" = pass ]; then result self OK "sealist>sealist $m"
				else result self FAIL "sealist>sealist $m" "sealist: $sv_line" \
					"dkimpy: $dk_res ($dk_why)" "opendkim: $od_res ($od_why)"
				fi
				if [ "$dk_res" = pass ]; then result to_dkimpy OK "sealist>dkimpy $m"
				else result to_dkimpy FAIL "sealist>dkimpy $m" "dkimpy: $dk_res ($dk_why)" \
					"opendkim: $od_res ($od_why)" "sealist: $sv_line"
				fi
				if [ "$od_res" = pass ]; then result to_opendkim OK "sealist>opendkim $m"
				elif [ -e "$s.quirk" ]; then
					IFS=$tab read -r q qwhy < "$s.quirk"
					result to_opendkim SKIP "sealist>opendkim $m" \
						"OpenDKIM quirk $q: $qwhy" "opendkim: $od_res ($od_why); dkimpy: $dk_res"
				else result to_opendkim FAIL "sealist>opendkim $m" "opendkim: $od_res ($od_why)" \
					"dkimpy: $dk_res ($dk_why)" "sealist: $sv_line"
				fi
			fi

			f=$d/dkimpy/$n.eml
			if ! [ -s "$f" ]; then
				result from_dkimpy FAIL "dkimpy>sealist $m" \
					"dkimpy did not sign: $(grep -F "$n.eml" "$d/dkimpy/sign.log" | cut -c1-300)"
			else
				sv_result "$f"
				oracle_result "$f" .dkimpy
				if [ "$sv_res" = pass ]; then result from_dkimpy OK "dkimpy>sealist $m"
				else result from_dkimpy FAIL "dkimpy>sealist $m" "sealist: $sv_line" \
					"dkimpy on its own signature: $or_res ($or_why)"
				fi
			fi

			f=$d/opendkim/$n.eml
			case $a/$c in
			ed25519/simple/*)
				result from_opendkim SKIP "opendkim>sealist $m" \
					"OpenDKIM 2.11.0 bug: its ed25519 signatures with simple header canonicalization do not verify anywhere"
				continue ;;
			esac
			if ! [ -s "$f" ]; then
				result from_opendkim FAIL "opendkim>sealist $m" \
					"OpenDKIM did not sign: $(grep -F "$n.eml" "$d/opendkim/sign.log" | cut -c1-300)"
				continue
			fi
			sv_result "$f"
			oracle_result "$f" .dkimpy
			if [ -e "$f.quirk" ]; then
				IFS=$tab read -r q qwhy < "$f.quirk"
				# OpenDKIM signed a field other than the one in the message:
				# a correct verifier fails it, as dkimpy does.
				if [ "$or_res" != pass ] && [ "$sv_res" != pass ] && [ "${sv_res%-but-*}" = "$sv_res" ]; then
					result from_opendkim SKIP "opendkim>sealist $m" \
						"OpenDKIM quirk $q: $qwhy (sealist: $sv_res, dkimpy: $or_res, as expected)"
				else
					result from_opendkim FAIL "opendkim>sealist $m" \
						"OpenDKIM quirk $q: $qwhy; sealist and dkimpy should both fail" \
						"sealist: $sv_line" "dkimpy: $or_res ($or_why)"
				fi
			elif [ "$sv_res" = pass ]; then result from_opendkim OK "opendkim>sealist $m"
			else result from_opendkim FAIL "opendkim>sealist $m" "sealist: $sv_line" \
				"dkimpy on OpenDKIM's signature: $or_res ($or_why)"
			fi
		done
	done
done

# -------------------------------------------------------------- mutation

# Every one-letter change to what the signature covers must fail in
# sealist and in dkimpy.  Message / algorithm / canonicalization:
cat > "$scratch/mutations" <<EOF
plain-crlf rsa relaxed/relaxed
folded-to-mixed-wsp rsa simple/simple
duplicate-subject rsa simple/relaxed
plain-lf ed25519 simple/simple
header-trailing-wsp ed25519 relaxed/relaxed
body-utf8 ed25519 relaxed/simple
EOF
mudirs=""
while read -r n a c; do
	mu=$scratch/mutate/$n.$a.$(echo "$c" | tr / -)
	"$py" "$oracle/mutate.py" "$(modedir "$a" "$c")/sealist/$n.eml" "$mu" >/dev/null 2>&1 &&
		mudirs="$mudirs $mu"
done < "$scratch/mutations"
jobs=""
for mu in $mudirs; do
	( for f in "$mu"/*.eml; do sealist_verify "$f"; done ) &
	jobs="$jobs $!"
done
"$py" "$oracle/dkimpy_verify.py" --dns "$ns" --suffix .dkimpy \
	$(for mu in $mudirs; do echo "$mu/*.eml"; done) >/dev/null
wait $jobs
while read -r n a c; do
	d=$(modedir "$a" "$c")
	mu=$scratch/mutate/$n.$a.$(echo "$c" | tr / -)
	m="$n $(alg_name "$a") $c"
	oracle_result "$d/sealist/$n.eml" .dkimpy
	if [ "$or_res" != pass ] || ! [ -s "$mu/MANIFEST" ]; then
		not_ok "mutation>sealist $m"; not_ok "mutation>dkimpy $m"
		diag "   no mutation test: the signed message does not pass dkimpy ($or_res: $or_why)"
		continue
	fi
	total=0 sbad=0 dbad=0
	: > "$scratch/mut.diag"
	while IFS=$tab read -r id where off change; do
		total=$((total + 1))
		sv_result "$mu/$id.eml"
		oracle_result "$mu/$id.eml" .dkimpy
		if [ "$sv_res" = pass ] || [ "${sv_res%-but-*}" != "$sv_res" ]; then
			sbad=$((sbad + 1))
			echo "sealist $sv_res, dkimpy $or_res: $change at $where offset $off" >> "$scratch/mut.diag"
		fi
		if [ "$or_res" = pass ]; then
			dbad=$((dbad + 1))
			echo "dkimpy pass, sealist $sv_res: $change at $where offset $off" >> "$scratch/mut.diag"
		fi
	done < "$mu/MANIFEST"
	check "mutation>sealist $m: sealist rejects all $total one-letter changes ($sbad accepted)" [ $sbad -eq 0 ]
	check "mutation>dkimpy $m: dkimpy rejects all $total one-letter changes ($dbad accepted)" [ $dbad -eq 0 ]
	head -n 20 "$scratch/mut.diag" > "$scratch/mut.diag20"
	while IFS= read -r line; do diag "   $(tapsafe "$line")"; done < "$scratch/mut.diag20"
done < "$scratch/mutations"

# ----------------------------------------------------------------- summary

diag "results per direction (pass / fail / skip):"
for dir in sign self to_dkimpy to_opendkim from_dkimpy from_opendkim; do
	eval "diag \"  $dir: \${cnt_${dir}_pass:-0} / \${cnt_${dir}_fail:-0} / \${cnt_${dir}_skip:-0}\""
done
diag "$(echo "$names" | wc -l) messages, $(($(date +%s) - started)) s"
tap_done
