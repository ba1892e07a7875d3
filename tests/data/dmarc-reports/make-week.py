#!/usr/bin/python3
# make-week.py -- write week/: a scripted week of SYNTHETIC DMARC aggregate
# reports about lists.example.org, and week/MANIFEST with what they hold.
# Deterministic (no clock, no randomness: gzip with mtime 0, zip entries
# dated 2026-11-08 00:00), Python's standard library only; run it with
# /usr/bin/python3 and commit what it writes.  See README ("week/").
#
# 7 days, 2026-11-01 to 2026-11-07 (UTC), each day one report from each of
# three receivers shaped like Google (RFC 7489, gzip), Microsoft
# ("Enterprise Outlook": RFC 7489 with <version>1.0</version>, gzip) and
# Yahoo (RFC 9990 namespace, plain XML on odd days, zip on even days).
# The sources:
#   192.0.2.25, 2001:db8:25::25  the list server: DKIM and SPF pass, except
#                                 on 2026-11-04 at Enterprise Outlook, where
#                                 some of 192.0.2.25's messages failed DKIM
#                                 while SPF passed (DMARC passed on SPF);
#   203.0.113.66                 a spoofer: DKIM and SPF fail every day, at
#                                 every receiver (quarantined);
#   198.51.100.40                a forwarder: DKIM passes (the list's
#                                 signature survives), SPF fails.
import calendar, gzip, io, os, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "week")
DOMAIN = "lists.example.org"
FIRST = calendar.timegm((2026, 11, 1, 0, 0, 0))
DAYS = 7
BAD_DAY = 3                     # 2026-11-04
BAD_ORG = "Enterprise Outlook"
BAD_COUNT = 12                  # of 192.0.2.25's messages that day
NS2 = ' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"'
POL7489 = "<adkim>r</adkim><aspf>r</aspf><p>quarantine</p><sp>quarantine</sp><pct>100</pct>"
POL9990 = ("<adkim>r</adkim><aspf>r</aspf><p>quarantine</p><sp>quarantine</sp>"
           "<np>quarantine</np><testing>n</testing><discovery_method>treewalk</discovery_method>")

RECEIVERS = [
    # org, file prefix, email, schema, base of the day's counts
    ("google.com", "google.com", "noreply-dmarc-support@google.com", 7489, 120),
    (BAD_ORG, "enterprise.protection.outlook.com", "dmarcreport@microsoft.com", 7489, 80),
    ("Yahoo", "yahoo.com", "dmarchelp@yahooinc.com", 9990, 40),
]


def record(ip, count, dkim, spf, disp, dkim_res, spf_res, efrom, spf_first):
    """One <record>; the auth_results are what the verdicts come from."""
    d = ("<dkim><domain>%s</domain><selector>sealist</selector><result>%s</result></dkim>"
         % (DOMAIN, dkim_res))
    s = "<spf><domain>%s</domain><scope>mfrom</scope><result>%s</result></spf>" % (efrom, spf_res)
    return "\n".join([
        "  <record>", "    <row>", "      <source_ip>%s</source_ip>" % ip,
        "      <count>%d</count>" % count, "      <policy_evaluated>",
        "        <disposition>%s</disposition>" % disp, "        <dkim>%s</dkim>" % dkim,
        "        <spf>%s</spf>" % spf, "      </policy_evaluated>", "    </row>",
        "    <identifiers>", "      <header_from>%s</header_from>" % DOMAIN,
        "      <envelope_from>%s</envelope_from>" % efrom, "    </identifiers>",
        "    <auth_results>", "      " + (s + d if spf_first else d + s), "    </auth_results>",
        "  </record>"])


def rows(org, schema, base, day):
    """(ip, count, dkim, spf, disposition) of one receiver's day."""
    ok = "pass" if schema == 9990 else "none"     # RFC 9990 has disposition "pass"
    n4 = base + 10 * day
    n6 = base // 4 + 3 * day
    out = []
    if org == BAD_ORG and day == BAD_DAY:
        out.append(("192.0.2.25", n4 - BAD_COUNT, "pass", "pass", ok))
        out.append(("192.0.2.25", BAD_COUNT, "fail", "pass", ok))
    else:
        out.append(("192.0.2.25", n4, "pass", "pass", ok))
    out.append(("2001:db8:25::25", n6, "pass", "pass", ok))
    out.append(("198.51.100.40", 2 + day % 3, "pass", "fail", ok))
    out.append(("203.0.113.66", 5 + day, "fail", "fail", "quarantine"))
    return out


def report(org, email, schema, day, rid, recs):
    begin = FIRST + day * 86400
    spf_first = org == BAD_ORG
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<feedback%s>" % (NS2 if schema == 9990 else
                           ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
                           ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                           if org == BAD_ORG else "")]
    if org == BAD_ORG:
        x.append("  <version>1.0</version>")
    elif schema == 9990:
        x.append("  <version>1.0</version>")
    x += ["  <report_metadata>", "    <org_name>%s</org_name>" % org,
          "    <email>%s</email>" % email, "    <report_id>%s</report_id>" % rid,
          "    <date_range><begin>%d</begin><end>%d</end></date_range>" % (begin, begin + 86399)]
    if schema == 9990:
        x.append("    <generator>Synthetic week generator (make-week.py)</generator>")
    x += ["  </report_metadata>", "  <policy_published>", "    <domain>%s</domain>" % DOMAIN,
          "    " + (POL9990 if schema == 9990 else POL7489), "  </policy_published>"]
    for ip, count, dkim, spf, disp in recs:
        efrom = DOMAIN if spf == "pass" else "forwarder.example" if ip == "198.51.100.40" \
            else "spoof.example"
        x.append(record(ip, count, dkim, spf, disp, dkim if ip != "198.51.100.40" else "pass",
                        spf, efrom, spf_first))
    x.append("</feedback>\n")
    return "\n".join(x).encode("utf-8")


def write(name, fmt, data):
    path = os.path.join(OUT, name)
    if fmt == "gzip":
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buf, mtime=0) as g:
            g.write(data)
        data = buf.getvalue()
    elif fmt == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo(name[:-4] + ".xml", date_time=(2026, 11, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
        data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.unlink(os.path.join(OUT, f))
    man = ["# week/MANIFEST -- written by make-week.py; SYNTHETIC reports (see README)",
           "# file|org_name|report_id|records|total messages|policy domain|schema|format"]
    per_day, per_source = {}, {}
    for day in range(DAYS):
        begin = FIRST + day * 86400
        for org, prefix, email, schema, base in RECEIVERS:
            recs = rows(org, schema, base, day)
            fmt = "gzip" if schema == 7489 else ("plain" if day % 2 == 0 else "zip")
            ext = {"gzip": ".xml.gz", "plain": ".xml", "zip": ".zip"}[fmt]
            name = "%s!%s!%d!%d%s" % (prefix, DOMAIN, begin, begin + 86399, ext)
            rid = "%s-week-%d" % (prefix.split(".")[0], begin)
            write(name, fmt, report(org, email, schema, day, rid, recs))
            man.append("|".join([name, org, rid, str(len(recs)), str(sum(r[1] for r in recs)),
                                 DOMAIN, str(schema), fmt]))
            d = per_day.setdefault(day, [0, 0])
            for ip, count, dkim, spf, disp in recs:
                d[0] += count
                d[1] += count if "pass" in (dkim, spf) else 0
                s = per_source.setdefault((org, ip), [0, 0, 0])
                s[0] += count
                s[1] += count if "pass" in (dkim, spf) else 0
                s[2] += count if dkim == "pass" else 0
    man.append("# totals per day: day|messages|DMARC pass")
    for day in sorted(per_day):
        man.append("#day|%s|%d|%d" % (
            "%04d-%02d-%02d" % tuple(__import__("time").gmtime(FIRST + day * 86400)[:3]),
            per_day[day][0], per_day[day][1]))
    man.append("# totals per source: org|source IP|messages|DMARC pass|DKIM pass")
    for (org, ip), s in sorted(per_source.items()):
        man.append("#source|%s|%s|%d|%d|%d" % (org, ip, s[0], s[1], s[2]))
    with open(os.path.join(OUT, "MANIFEST"), "w", encoding="utf-8") as f:
        f.write("\n".join(man) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
