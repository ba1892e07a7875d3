#!/bin/sh
# deps.sh -- install the Debian packages sealist needs to build and test.
# Runs apt-get only for what is missing, with sudo only when not root.
set -eu

# Build: libarchive-dev unpacks the gzip and zip DMARC aggregate reports
# (lib/dmarcrep), libxml2-dev parses them; zlib1g-dev builds the zip bombs
# its unit test refuses.
build="gcc make autoconf automake pkg-config
libssl-dev libcurl4-openssl-dev libsqlite3-dev libxml2-dev libmicrohttpd-dev libpsl-dev
libarchive-dev zlib1g-dev"
# Tests: sqlite3 to inspect databases, valgrind for memory checks,
# clang with libFuzzer for the fuzz build, dnsmasq-base as the DNS server
# on loopback (not "dnsmasq", which installs a system service), and
# Debian's python3 for small misbehaving servers in the DNS tests; the
# independent DKIM implementations the interop tests ask for verdicts:
# dkimpy (python3-dkim, python3-nacl for Ed25519, python3-dnspython) and
# OpenDKIM (opendkim for "opendkim -t", opendkim-tools); for SPF, DMARC
# and ARC: python3-spf, authheaders/authres and OpenDMARC as oracles,
# python3-yaml to read the ARC test suite, publicsuffix for libpsl tests;
# Postfix, which the LMTP tests run as a private instance on loopback
# (preseeded "No configuration": no system mail service is set up), and
# Cyrus SASL's sasldb (sasl2-bin for saslpasswd2, libsasl2-modules for
# PLAIN/LOGIN) for the relay that delivery authenticates to; curl, the
# HTTP client the web tests drive the daemon's pages with; openssl,
# whose command line makes test keys and certificates and measures the
# machine for the benchmarks; Debian's chromium, the browser the browser
# tests drive headless (tests/browser/, through playwright-core below);
# wrk, the HTTP load generator of bench/web.sh; libxml2-utils for xmllint,
# which validates the DMARC aggregate reports we write against RFC 9990's
# schema (tests/unit/test_dmarcrep_out.c).
test="sqlite3 valgrind clang libclang-rt-dev dnsmasq-base python3
python3-dkim python3-nacl python3-dnspython opendkim opendkim-tools
python3-spf python3-authheaders python3-authres python3-publicsuffix2
python3-yaml opendmarc publicsuffix postfix sasl2-bin libsasl2-modules curl openssl
chromium wrk libxml2-utils"
# Node.js runs the Playwright scripts.  Where a node of its own is already
# installed (the npm command exists) it is used; else Debian's nodejs and npm.
if ! command -v npm >/dev/null 2>&1; then
	test="$test nodejs npm"
fi
# playwright-core, ONE exact version, installed globally (npm root -g, e.g.
# /usr/lib/node_modules) rather than in a node_modules of the tree: a
# "make distcheck" tarball has no node_modules and its build directory is
# thrown away, so tests/e2e/browser.sh finds it with NODE_PATH="$(npm root
# -g)".  playwright-core downloads no browser of its own; the tests start
# /usr/bin/chromium.  1.61.1 is the newest release that still runs on the
# Node.js 18 of Debian 12 (later ones want Node.js 20).
playwright=1.61.1

# playwright -- install playwright-core $playwright unless it is there
playwright() {
	root=$(npm root -g) || return 1
	have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$root/playwright-core/package.json" 2>/dev/null)
	[ "$have" = "$playwright" ] && return 0
	echo "deps.sh: installing playwright-core@$playwright (npm -g)" >&2
	$sudo npm install -g --no-audit --no-fund --loglevel=error "playwright-core@$playwright" >&2
}

case "${1:-build}" in
build)	want="$build" ;;
test)	want="$build $test" ;;
*)	echo "usage: deps.sh [build|test]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
		|| missing="$missing $p"
done
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing" >&2
	case " $missing " in
	*" postfix "*)
		echo "postfix postfix/main_mailer_type select No configuration" \
			| $sudo debconf-set-selections ;;
	esac
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
if [ "${1:-build}" = test ]; then
	playwright
fi
