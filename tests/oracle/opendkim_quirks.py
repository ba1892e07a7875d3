#!/usr/bin/python3
"""Usage: opendkim_quirks.py [--suffix SUF] FILE...

Tell, for the first (topmost) DKIM-Signature of each signed FILE, whether
a known OpenDKIM 2.11.0 limitation makes OpenDKIM's verdict on it
meaningless, so that a test can skip it by name instead of counting it:

  opendkim-colon-wsp   header canonicalization "simple", and a signed
                       header field does not have exactly one space after
                       its colon ("Subject:x", "Subject:  x", "Subject:\\tx",
                       "Subject:" with nothing, a value starting on a
                       continuation line).  The milter interface hands
                       OpenDKIM name and value apart and it rebuilds the
                       field as "Name: value", so it verifies -- and signs --
                       a field that differs from the one in the message.

Signed instances are found as verifiers find them: h= names matched
case-insensitively, bottom-up.  Prints "FILE TAB QUIRK TAB DETAIL" or
"FILE TAB -"; with --suffix, writes "QUIRK TAB DETAIL" to FILE+SUF when a
quirk applies (and removes a stale FILE+SUF otherwise).
"""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402


def tag(value, name):
    m = re.search(rb"(?:^|;)\s*" + name + rb"\s*=([^;]*)", value)
    return re.sub(rb"\s+", b"", m.group(1)) if m else None


def signed_instances(msg, fs, sig_index):
    """Fields (dicts) signed by the signature fs[sig_index], per its h=."""
    sig = fs[sig_index]
    h = tag(msg[sig["colon"] + 1:sig["end"]], b"h") or b""
    used, out = set(), []
    for name in [n.lower() for n in h.split(b":") if n]:
        for i in range(len(fs) - 1, -1, -1):
            if i not in used and i != sig_index and fs[i]["name"].lower() == name:
                used.add(i)
                out.append(fs[i])
                break
    return out


def shown(b):
    """Octets for a TAP line: no backslashes (echo would interpret them)."""
    names = {0x20: "SP", 0x09: "TAB", 0x0d: "CR", 0x0a: "LF"}
    return "".join("<%s>" % names[c] if c in names else chr(c) if 0x21 <= c <= 0x7e and c != 0x5c
                   else "<%02X>" % c for c in b)


def quirk(msg):
    fs, _ = oracle_lib.fields(msg)
    idx = next((i for i, f in enumerate(fs) if f["name"].lower() == b"dkim-signature"), None)
    if idx is None:
        return None
    c = tag(msg[fs[idx]["colon"] + 1:fs[idx]["end"]], b"c") or b"simple/simple"
    if not c.startswith(b"simple"):
        return None
    for f in signed_instances(msg, fs, idx):
        v = msg[f["colon"] + 1:f["end"]]
        one_space = v[:1] == b" " and (v[1:] in (b"\r\n", b"\n") or v[1:2] not in (b" ", b"\t", b"\r", b"\n", b""))
        if not one_space:
            return ("opendkim-colon-wsp", "signed field %s has [%s] after its colon"
                    % (f["name"].decode("latin-1"), shown(v[:8])))
    return None


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--suffix", default=None)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    for f in a.files:
        with open(f, "rb") as fh:
            q = quirk(fh.read())
        print("%s\t%s" % (f, "\t".join(q) if q else "-"))
        if a.suffix:
            if q:
                with open(f + a.suffix, "w") as fh:
                    fh.write("%s\t%s\n" % q)
            elif os.path.exists(f + a.suffix):
                os.unlink(f + a.suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
