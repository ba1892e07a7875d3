#!/usr/bin/python3
"""dmarc_oracle.py --port PORT CASES -- authheaders as an independent DMARC
evaluator for tests/data/dmarc/cases.txt, as TAP.

authheaders (Debian python3-authheaders) implements RFC 7489: org domains
from publicsuffix2, the author record first, then the org domain's, sp=
for subdomains, np= (RFC 9091) after an A/MX/AAAA existence check.  Its
verdict for every case is compared with our "expect psl" line (result and
policy; authheaders has no pct sampling, no t=, no ADSP, so dispositions
and ADSP are checked by the C side only, and each ADSP case says so).  A
case with an "oracle" line is a documented disagreement: authheaders must
then say exactly what that line says, so a change on either side shows.

DNS: dnspython's default resolver pointed at dnsmasq on 127.0.0.1:PORT.
Run with /usr/bin/python3 (Debian's modules), never a pyenv python3.
"""
import sys

import dns.resolver
from authheaders import dmarc_per_from


class Spf:
    # authheaders takes smtp.mailfrom as an address (RFC 8601 section
    # 2.7.2) and extracts the domain after "@" itself.
    def __init__(self, result, domain):
        self.result = result
        self.smtp_mailfrom = "postmaster@" + domain


class Dkim:
    def __init__(self, result, domain):
        self.result = result
        self.header_d = domain


def read_cases(path):
    cases, cur = [], None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            word, _, rest = line.partition(" ")
            if word == "case":
                cur = {"name": rest, "dkim": [], "spf": None, "why": []}
            elif cur is None:
                continue        # zone lines: served by dnsmasq
            elif word == "end":
                cases.append(cur)
                cur = None
            elif word == "from":
                cur["from"] = rest
            elif word == "dkim":
                r, _, d = rest.partition(" ")
                cur["dkim"].append((r, d))
            elif word == "spf":
                r, _, d = rest.partition(" ")
                cur["spf"] = (r, d)
            elif word == "expect" and rest.startswith("psl "):
                cur["expect"] = kv(rest[4:])
            elif word == "oracle":
                cur["oracle"] = kv(rest)
            elif word == "why":
                cur["why"].append(rest)
            elif word == "adsp":
                cur["adsp"] = rest
    return cases


def kv(text):
    return dict(item.split("=", 1) for item in text.split())


def evaluate(case):
    spf = Spf(*case["spf"]) if case["spf"] else None
    dkims = [Dkim(r, d) for r, d in case["dkim"]] or [None]
    result, policy = None, None
    for dk in dkims:
        if spf is not None:
            spf = Spf(*case["spf"])     # authheaders rewrites it
        r, _comment, _frm, pol = dmarc_per_from(case["from"], spf, dk)
        if result is None or r == "pass":
            result = r
        policy = pol
    return {"result": result, "policy": policy or "-"}


def main():
    port = int(sys.argv[sys.argv.index("--port") + 1])
    path = sys.argv[-1]
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = port
    res.lifetime = 5
    dns.resolver.default_resolver = res

    n = failed = agree = differ = 0
    for case in read_cases(path):
        n += 1
        try:
            got = evaluate(case)
        except Exception as e:          # a crash is a failure, not a skip
            got = {"result": "exception:" + type(e).__name__, "policy": "-"}
        want = case.get("oracle") or case["expect"]
        ok = got["result"] == want["result"] and got["policy"] == want["policy"]
        kind = "documented disagreement" if "oracle" in case else "agrees"
        if ok and "oracle" in case:
            differ += 1
        elif ok:
            agree += 1
        print("%s %d - authheaders %s: %s" % ("ok" if ok else "not ok", n,
                                               kind, case["name"]))
        if not ok:
            failed += 1
            print("# want result=%s policy=%s; authheaders result=%s policy=%s"
                  % (want["result"], want["policy"], got["result"],
                     got["policy"]))
        if "oracle" in case and not case["why"]:
            failed += 1
            n += 1
            print("not ok %d - %s: disagreement without a why" % (n, case["name"]))
        if "adsp" in case:
            print("# %s: ADSP (RFC 5617) checked by the C side only: "
                  "authheaders has no ADSP" % case["name"])
    print("# authheaders: %d agree, %d documented disagreements, %d failed"
          % (agree, differ, failed))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
