#!/usr/bin/python3
"""Usage: opendkim_verify.py --dns HOST:PORT|RECORDS [--suffix SUF] [--jobs N] FILE...

Verify every DKIM-Signature of each FILE with OpenDKIM (Debian opendkim,
the C libopendkim), run as "opendkim -x CONF -t FILE -vv": the milter's
test mode, no daemon, no socket.  Keys come from real DNS -- config
"Nameservers HOST@PORT" (libunbound) -- or, for a records file, from
OpenDKIM's TestPublicKeys file.  N files are checked at a time (default:
the number of CPUs).

Each FILE is handed over as an MTA hands a message to the milter: every
bare LF turned into CRLF, and a CRLF added after a last line that has no
line end (SMTP cannot carry one).  Neither changes a canonical form.
OpenDKIM's test mode itself mishandles a last line without a line end:
it reports "message not signed", or a failed signature when that line
holds white space.

Caution: libunbound answers names under .test, .invalid, .localhost and
.onion itself (NXDOMAIN, no query sent: its default local zones), so
keys for OpenDKIM must live under another name (e.g. example.org).

For each FILE prints one line:  FILE TAB RESULTS TAB REASONS
(as dkimpy_verify.py: one word per signature in header order, read from
the Authentication-Results OpenDKIM adds, matched to the signatures by
header.b).  OpenDKIM's words: pass fail neutral policy permerror
temperror; a message it gives up on before the body (a signature it
cannot parse) gets "permerror" for every signature.  --suffix also writes
RESULTS TAB REASONS to FILE+SUF.  Exit 0 unless OpenDKIM is missing.
"""
import argparse
import concurrent.futures
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
AUTHSERV = "opendkim.oracle.example"


def ar_entries(out):
    """dkim= entries of the Authentication-Results OpenDKIM printed."""
    m = re.search(r"hname='Authentication-Results' hvalue='(.*?)'\n", out, re.S)
    if not m:
        return None
    body = " ".join(m.group(1).split())
    body = body.split(";", 1)[1] if ";" in body else ""
    ents = []
    for part in re.split(r";\s*(?=[a-z-]+=)", body):
        mm = re.match(r"\s*dkim=(\w+)\s*(.*)$", part)
        if not mm:
            continue
        rest = mm.group(2)
        why = re.search(r'reason="([^"]*)"', rest)
        com = re.search(r"\(([^)]*)\)", rest)
        b = re.search(r"header\.b=([^\s;]+)", rest)
        ents.append({"result": mm.group(1),
                     "reason": (why.group(1) if why else "") or (com.group(1) if com else ""),
                     "b": b.group(1) if b else ""})
    return ents


def signatures_b(msg):
    """b= values (FWS removed) of the DKIM-Signature fields, header order."""
    fs, _ = oracle_lib.fields(msg)
    out = []
    for f in fs:
        if f["name"].lower() == b"dkim-signature":
            v = msg[f["colon"] + 1:f["end"]].decode("latin-1")
            m = re.search(r"(?:^|;)\s*b\s*=([^;]*)", v)
            out.append(re.sub(r"\s+", "", m.group(1)) if m else "")
    return out


def verify_one(path, conf, work):
    with open(path, "rb") as fh:
        msg = fh.read()
    crlf = re.sub(rb"(?<!\r)\n", b"\r\n", msg)
    if not crlf.endswith(b"\n"):
        crlf += b"\r\n"
    fd, tmp = tempfile.mkstemp(suffix=".eml", dir=work)
    with os.fdopen(fd, "wb") as fh:
        fh.write(crlf)
    r = subprocess.run([OPENDKIM, "-x", conf, "-t", tmp, "-vv"], capture_output=True,
                       text=True, errors="replace", timeout=60)
    os.unlink(tmp)
    bs = signatures_b(msg)
    ents = ar_entries(r.stdout)
    if ents is None:
        stop = re.search(r"mlfi_(eoh|header)\(\) returned SMFIS_(?!CONTINUE)(\w+)", r.stderr)
        why = ("opendkim stopped at %s (%s): signature unusable" % stop.groups() if stop
               else "opendkim wrote no Authentication-Results (exit %d)" % r.returncode)
        return [("permerror", why)] * max(1, len(bs))
    ents = [e for e in ents if e["result"] != "none"]
    if not bs:
        return []
    res, used = [], set()
    for b in bs:
        j = next((j for j, e in enumerate(ents) if j not in used and e["b"] and b.startswith(e["b"])),
                 next((j for j in range(len(ents)) if j not in used), None))
        if j is None:
            res.append(("permerror", "opendkim reported nothing for this signature"))
        else:
            used.add(j)
            res.append((ents[j]["result"], ents[j]["reason"] or "-"))
    return res


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--dns", required=True)
    ap.add_argument("--suffix", default=None)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if not os.access(OPENDKIM, os.X_OK):
        oracle_lib.die("%s is missing (Debian package opendkim)" % OPENDKIM, 1)
    work = tempfile.mkdtemp(prefix="opendkim-verify-")
    try:
        conf = ["Mode v", "AuthservID %s" % AUTHSERV, "Syslog no", "AlwaysAddARHeader yes",
                "Background no", "MinimumKeyBits 1024", "DNSTimeout 5"]
        if re.match(r"^[0-9.]+:[0-9]+$", a.dns):
            conf.append("Nameservers %s" % a.dns.replace(":", "@"))
        else:
            with open(os.path.join(work, "keys"), "w") as fh:
                for name, vals in oracle_lib.load_records(a.dns).items():
                    fh.write("%s\t%s\n" % (name, vals[0]))
            conf.append("TestPublicKeys %s" % os.path.join(work, "keys"))
        cpath = os.path.join(work, "opendkim.conf")
        with open(cpath, "w") as fh:
            fh.write("\n".join(conf) + "\n")

        def one(f):
            try:
                return verify_one(f, cpath, work)
            except Exception as e:
                return [("permerror", "could not run opendkim: %s: %s" % (type(e).__name__, e))]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            results = list(ex.map(one, a.files))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f, res in zip(a.files, results):
        words = ",".join(r for r, _ in res) or "none"
        why = " | ".join(w for _, w in res) or "no DKIM-Signature"
        print("%s\t%s\t%s" % (f, words, why))
        if a.suffix:
            with open(f + a.suffix, "w") as fh:
                fh.write("%s\t%s\n" % (words, why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
