#!/usr/bin/python3
"""Usage: opendkim_sign.py --key PEM --domain D --selector S --algo rsa|ed25519
                         --canon H/B --outdir DIR FILE...

Sign each FILE with OpenDKIM (Debian opendkim, C libopendkim) in the
milter's test mode -- one "opendkim -x CONF -t F1,F2,..." run for all
files -- and write DIR/<basename of FILE>: OpenDKIM's DKIM-Signature,
then FILE's bytes unchanged.  The field gets the line end of FILE's
first line (OpenDKIM folds with CRLF TAB).

OpenDKIM signs with its default SignHeaders (RFC 6376 5.4's list, field
names written as found: h=FROM:to:...) and OversignHeaders From; any From
domain is signed as D (SigningTable "*").  Each FILE is handed over as
an MTA would: bare LFs as CRLF and a final CRLF added if the last line
has none (OpenDKIM's test mode mishandles that; neither change alters a
canonical form).

Refuses --algo ed25519 with simple header canonicalization: OpenDKIM
2.11.0 makes unverifiable signatures there (its known bug).
Prints "FILE TAB ok" or "FILE TAB error: WHY" per FILE; exit 1 if any
FILE was not signed, 3 for the refused combination.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402

OPENDKIM = "/usr/sbin/opendkim"


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    for o in ("--key", "--domain", "--selector", "--canon", "--outdir"):
        ap.add_argument(o, required=True)
    ap.add_argument("--algo", choices=["rsa", "ed25519"], required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if a.algo == "ed25519" and a.canon.startswith("simple"):
        oracle_lib.die("OpenDKIM 2.11.0 cannot sign ed25519 with simple header canonicalization", 3)
    if not os.access(OPENDKIM, os.X_OK):
        oracle_lib.die("%s is missing (Debian package opendkim)" % OPENDKIM, 1)
    work = tempfile.mkdtemp(prefix="opendkim-sign-")
    try:
        key = os.path.join(work, "key.pem")
        shutil.copy(a.key, key)
        os.chmod(key, 0o600)
        with open(os.path.join(work, "signing"), "w") as fh:
            fh.write("*\tk\n")
        with open(os.path.join(work, "keys"), "w") as fh:
            fh.write("k\t%s:%s:%s\n" % (a.domain, a.selector, key))
        conf = ["Mode s", "SigningTable refile:%s" % os.path.join(work, "signing"),
                "KeyTable %s" % os.path.join(work, "keys"), "Canonicalization %s" % a.canon,
                "SignatureAlgorithm %s" % ("ed25519-sha256" if a.algo == "ed25519" else "rsa-sha256"),
                "OversignHeaders From", "Syslog no", "Background no", "RequireSafeKeys false"]
        cpath = os.path.join(work, "opendkim.conf")
        with open(cpath, "w") as fh:
            fh.write("\n".join(conf) + "\n")
        tmps, msgs = [], []
        for i, f in enumerate(a.files):
            with open(f, "rb") as fh:
                msg = fh.read()
            msgs.append(msg)
            crlf = re.sub(rb"(?<!\r)\n", b"\r\n", msg)
            if not crlf.endswith(b"\n"):
                crlf += b"\r\n"
            tmps.append(os.path.join(work, "m%d.eml" % i))
            with open(tmps[-1], "wb") as fh:
                fh.write(crlf)
        r = subprocess.run([OPENDKIM, "-x", cpath, "-t", ",".join(tmps)], capture_output=True,
                           timeout=600)
        out = r.stdout.decode("latin-1")
        sigs = {}
        for m in re.finditer(r"^opendkim: (\S+):\n(DKIM-Signature: .*?)(?=^opendkim: |\Z)", out, re.S | re.M):
            sigs[m.group(1)] = m.group(2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bad = 0
    for f, tmp, msg in zip(a.files, tmps, msgs):
        sig = sigs.get(tmp)
        if sig is None:
            bad += 1
            print("%s\terror: opendkim made no signature (exit %d)" % (f, r.returncode))
            continue
        field = sig.replace("\r", "").rstrip("\n").encode("latin-1")
        eol = oracle_lib.eol_of(msg)
        field = field.replace(b"\n", eol) + eol
        with open(os.path.join(a.outdir, os.path.basename(f)), "wb") as fh:
            fh.write(field + msg)
        print("%s\tok" % f)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
