#!/usr/bin/python3
"""Usage: dkimpy_verify.py --dns HOST:PORT|RECORDS [--suffix SUF] FILE...

Verify every DKIM-Signature of each FILE with dkimpy (Debian python3-dkim),
the independent oracle; one process for many files.  Keys come from real
DNS (HOST:PORT, e.g. the dnsmasq a test runs on 127.0.0.1) or a records
file (lines: name TXT "value").

For each FILE prints one line:  FILE TAB RESULTS TAB REASONS
RESULTS is one word per signature in header order, comma-separated
(pass, fail, permerror, temperror), or "none" without a signature;
REASONS the matching reasons, " | "-separated ("-" for a pass).  With
--suffix, the same RESULTS TAB REASONS line is also written to FILE+SUF.
Exit 0 unless the arguments are bad.

A message whose last line has no line end is verified with one added
(as SMTP would carry it; no canonical form changes): dkimpy's relaxed body
canonicalization keeps the trailing white space of such a line, against
RFC 6376 3.4.4, and would fail correct signatures.

Result words (dkimpy itself only says True/False; the word is derived
from its exception or log message):
  fail       the signature or the body hash did not verify
  permerror  no key at the name, bad key record, bad tags, key too short
  temperror  DNS timeout
"""
import argparse
import logging
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
import dkim  # noqa: E402
from dkim.util import parse_tag_value, InvalidTagValueList  # noqa: E402


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.msgs = []

    def emit(self, rec):
        if rec.levelno >= logging.ERROR:
            self.msgs.append(rec.getMessage())


def verify_one(msg, spec):
    headers, _ = dkim.rfc822_parse(msg)
    sigs = [v for (n, v) in headers if n.lower() == b"dkim-signature"]
    out = []
    for idx, value in enumerate(sigs):
        try:
            parse_tag_value(value)
        except InvalidTagValueList as e:
            out.append(("permerror", "bad tag list: %s" % e))
            continue
        log = []
        cap = Capture()
        lg = logging.getLogger("dkimpy-verify-%d" % idx)
        lg.handlers = [cap]
        lg.propagate = False
        lg.setLevel(logging.DEBUG)
        d = dkim.DKIM(msg, logger=lg, minkey=1024)
        try:
            if d.verify(idx=idx, dnsfunc=oracle_lib.dnsfunc(spec, log)):
                out.append(("pass", "-"))
            elif any("DnsTimeoutError" in m for m in cap.msgs):
                out.append(("temperror", "; ".join(cap.msgs)))
            elif any(a is None for (_, a) in log):
                out.append(("permerror", "no key record at %s" % [q for (q, a) in log if a is None][0]))
            elif cap.msgs:
                out.append(("permerror", "; ".join(cap.msgs)))
            else:
                out.append(("fail", "signature did not verify"))
        except dkim.DnsTimeoutError as e:
            out.append(("temperror", str(e)))
        except dkim.ValidationError as e:
            out.append(("fail" if "body hash mismatch" in str(e) else "permerror", str(e)))
        except dkim.DKIMException as e:
            out.append(("permerror", "%s: %s" % (type(e).__name__, e)))
        except Exception as e:  # dkimpy bug or odd input: a verdict, not a crash
            out.append(("permerror", "dkimpy raised %s: %s" % (type(e).__name__, e)))
    return out


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--dns", required=True)
    ap.add_argument("--suffix", default=None)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    for f in a.files:
        try:
            with open(f, "rb") as fh:
                msg = fh.read()
            if not msg.endswith(b"\n"):
                msg += oracle_lib.eol_of(msg)
            res = verify_one(msg, a.dns)
        except Exception as e:  # unreadable or unparsable message
            res = [("permerror", "dkimpy could not read the message: %s: %s" % (type(e).__name__, e))]
        words = ",".join(r for r, _ in res) or "none"
        why = " | ".join(w.replace("\t", " ").replace("\n", " ") for _, w in res) or "no DKIM-Signature"
        print("%s\t%s\t%s" % (f, words, why))
        if a.suffix:
            with open(f + a.suffix, "w") as fh:
                fh.write("%s\t%s\n" % (words, why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
