#!/bin/sh
# bench/auth.sh -- set the stage for bench/bench_auth and run it: records on
# a loopback dnsmasq (DKIM keys, SPF with an include, DMARC), a 5 KB post
# signed by its author's domain with "sealist dkim sign" and ARC-sealed by
# a forwarder with "sealist arc seal".  Arguments go to bench_auth
# (-t SECONDS, --no-openssl-speed).  Run from a build tree: make bench.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
bench_args=$*
. "$top_srcdir/tests/lib.sh"
sealist="$top_builddir/src/sealist"
zone=$scratch/zone.txt

record() { printf '%s TXT "%s"\n' "$1" "$2" >>"$zone"; }
: >"$zone"
p=$(dkim_keygen "$scratch/author.pem" rsa) || exit 1
record s1._domainkey.author.example "v=DKIM1; k=rsa; p=$p"
p=$(dkim_keygen "$scratch/relay.pem" rsa) || exit 1
record rk._domainkey.relay.example "v=DKIM1; k=rsa; p=$p"
record author.example "v=spf1 include:_spf.author.example -all"
record _spf.author.example "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all"
record _dmarc.author.example "v=DMARC1; p=reject; rua=mailto:dmarc@author.example"

dnsmasq_zone bench "$zone" --local=/example/ --local-ttl=300 >/dev/null || { echo "bench/auth.sh: dnsmasq (dnsmasq-base) did not start" >&2; exit 1; }
ns=127.0.0.1:$port

{
	printf '%s\r\n' "Received: from mx.author.example (mx.author.example [192.0.2.10])" \
		"	by relay.example with ESMTPS id 4Zx; Thu, 26 Nov 2026 10:00:01 +0000" \
		"From: Alice Example <alice@author.example>" "To: list@list.example" \
		"Subject: a typical post to the list" "Date: Thu, 26 Nov 2026 10:00:00 +0000" \
		"Message-ID: <bench-1@author.example>" "MIME-Version: 1.0" \
		"Content-Type: text/plain; charset=utf-8" "Content-Transfer-Encoding: 8bit" ""
	i=0; while [ $i -lt 70 ]; do
		printf '%s\r\n' "Line $i of a post of about five kilobytes, the size of a typical list message."
		i=$((i + 1))
	done
} >"$scratch/post.eml"
"$sealist" dkim sign --domain author.example --selector s1 --key "$scratch/author.pem" \
	<"$scratch/post.eml" >"$scratch/signed.eml" || exit 1
"$sealist" -c /dev/null arc seal --nameserver "$ns" --authserv-id relay.example \
	--domain relay.example --selector rk --key "$scratch/relay.pem" \
	--client-ip 192.0.2.10 --mail-from bounce@author.example \
	<"$scratch/signed.eml" >"$scratch/sealed.eml" || exit 1
# shellcheck disable=SC2086
"$top_builddir/bench/bench_auth" --nameserver "$ns" --message "$scratch/sealed.eml" \
	--client-ip 192.0.2.10 --mail-from bounce@author.example --helo mx.author.example $bench_args
