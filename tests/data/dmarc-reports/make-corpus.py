#!/usr/bin/python3
# make-corpus.py -- write the synthetic DMARC aggregate reports of this
# directory and their MANIFEST.  Run once at authoring time (the .gz and
# .zip files are committed); see README for where each shape comes from.
import os, subprocess, sys

os.chdir(os.path.dirname(os.path.abspath(__file__)))
NS2 = ' xmlns="urn:ietf:params:xml:ns:dmarc-2.0"'

def rec(ip, count, disp="none", dkim="pass", spf="pass", reasons=(), hfrom="example.org",
        efrom=None, eto=None, dkims=(("example.org", "s1", "pass"),), spfs=(("example.org", "mfrom", "pass"),),
        ids_order=("header_from", "envelope_from", "envelope_to"), spf_first=False):
    r = ["<record>", "<row>", "<source_ip>%s</source_ip>" % ip, "<count>%d</count>" % count,
         "<policy_evaluated>", "<disposition>%s</disposition>" % disp, "<dkim>%s</dkim>" % dkim,
         "<spf>%s</spf>" % spf]
    for t, c in reasons:
        r.append("<reason><type>%s</type>%s</reason>" % (t, "<comment>%s</comment>" % c if c else ""))
    r += ["</policy_evaluated>", "</row>", "<identifiers>"]
    vals = {"header_from": hfrom, "envelope_from": efrom, "envelope_to": eto}
    for k in ids_order:
        if vals[k] is not None:
            r.append("<%s>%s</%s>" % (k, vals[k], k))
    r += ["</identifiers>", "<auth_results>"]
    d = ["<dkim><domain>%s</domain>%s<result>%s</result></dkim>" %
         (dom, "<selector>%s</selector>" % sel if sel else "", res) for dom, sel, res in dkims]
    s = ["<spf><domain>%s</domain>%s<result>%s</result></spf>" %
         (dom, "<scope>%s</scope>" % sc if sc else "", res) for dom, sc, res in spfs]
    r += (s + d) if spf_first else (d + s)
    r += ["</auth_results>", "</record>"]
    return "\n    ".join(r)

def report(org, rid, domain, records, ns="", version="", email="noreply@example.net",
           extra="", errors=(), begin=1700006400, end=1700092799, pol="<p>none</p>",
           generator="", extensions="", decl='<?xml version="1.0" encoding="UTF-8" ?>', root_attrs=""):
    x = [decl, "<feedback%s%s>" % (ns, root_attrs)]
    if version:
        x.append("  <version>%s</version>" % version)
    x += ["  <report_metadata>", "    <org_name>%s</org_name>" % org.replace("&", "&amp;"), "    <email>%s</email>" % email]
    if extra:
        x.append("    <extra_contact_info>%s</extra_contact_info>" % extra)
    x += ["    <report_id>%s</report_id>" % rid,
          "    <date_range><begin>%d</begin><end>%d</end></date_range>" % (begin, end)]
    for e in errors:
        x.append("    <error>%s</error>" % e)
    if generator:
        x.append("    <generator>%s</generator>" % generator)
    x += ["  </report_metadata>", "  <policy_published>", "    <domain>%s</domain>" % domain,
          "    " + pol, "  </policy_published>"]
    if extensions:
        x.append(extensions)
    for r in records:
        x.append("  " + r)
    x.append("</feedback>\n")
    return "\n".join(x)

reports = []   # (file, format, xml, org, rid, domain, records, total)

def add(name, fmt, org, rid, domain, records, **kw):
    reports.append((name, fmt, report(org, rid, domain, records, **kw), org, rid, domain,
                    len(records), sum(int(r.split("<count>")[1].split("<")[0]) for r in records)))

G7489 = "<adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>"
# 1. RFC 9990 Appendix B, verbatim but for the XML declaration.
reports.append(("rfc9990-appendix-b.xml", "plain", open("rfc9990-appendix-b.xml").read(),
                "Sample Reporter", "3v98abbp8ya9n3va8yr8oa3ya", "example.com", 1, 123))
# 2-4. Google-like: zip, RFC 7489, pct, DKIM selector, SPF without scope.
add("google.com!example.org!1700006400!1700092799.zip", "zip", "google.com", "13371337133713371337",
    "example.org", [rec("209.85.220.41", 12, dkims=(("example.org", "s1", "pass"),), spfs=(("example.org", None, "pass"),)),
                    rec("2a00:1450:4864:20::52f", 3, dkims=(("example.org", "s1", "pass"),), spfs=(("example.org", None, "pass"),))],
    email="noreply-dmarc-support@google.com", extra="https://support.google.com/a/answer/2466580", pol=G7489)
add("google.com!lists.example.org!1700006400!1700092799.zip", "zip", "google.com", "98765432109876543210",
    "lists.example.org", [rec("198.51.100.7", 40, dkim="pass", spf="fail", hfrom="lists.example.org",
                              dkims=(("lists.example.org", "sealist", "pass"), ("example.com", "sel2024", "fail")),
                              spfs=(("bounce.lists.example.org", None, "pass"),)),
                          rec("203.0.113.9", 2, disp="none", dkim="fail", spf="fail", reasons=(("forwarded", ""),),
                              dkims=(("example.com", "sel2024", "fail"),), spfs=(("forwarder.example", None, "softfail"),))],
    email="noreply-dmarc-support@google.com", extra="https://support.google.com/a/answer/2466580",
    pol="<adkim>r</adkim><aspf>r</aspf><p>quarantine</p><sp>quarantine</sp><pct>100</pct><np>quarantine</np>")
add("google-many-records.zip", "zip", "google.com", "555000111222333444",
    "example.org", [rec("192.0.2.%d" % i, i, dkims=(("example.org", "s1", "pass"),), spfs=(("example.org", None, "pass"),))
                    for i in range(1, 26)],
    email="noreply-dmarc-support@google.com", pol=G7489)
# 5-7. Microsoft-like: gzip, <version>1.0</version>, xsd namespaces on the root, fo, envelope_to, SPF first with scope.
MS = dict(email="dmarcreport@microsoft.com", version="1.0", decl='<?xml version="1.0"?>',
          root_attrs=' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
          pol="<adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>reject</sp><pct>100</pct><fo>1</fo>")
add("enterprise.protection.outlook.com!example.org!1700006400!1700092799.xml.gz", "gzip",
    "Enterprise Outlook", "4a3f2b1c0d9e8f7a6b5c4d3e2f1a0b9c", "example.org",
    [rec("40.107.22.51", 7, eto="contoso.com", efrom="example.org", spf_first=True,
         ids_order=("envelope_to", "envelope_from", "header_from")),
     rec("2a01:111:f400:7e1a::201", 1, disp="reject", dkim="fail", spf="fail", eto="contoso.com", efrom="spoof.example",
         ids_order=("envelope_to", "envelope_from", "header_from"), spf_first=True,
         dkims=(), spfs=(("spoof.example", "mfrom", "fail"),))], **MS)
add("protection.outlook.com!example.org!1700006400!1700092799.xml.gz", "gzip",
    "Outlook.com", "b7c6d5e4f3a2b1c0", "example.org",
    [rec("40.92.18.100", 100, disp="none", dkim="pass", spf="fail", eto="outlook.com", efrom="lists.example.org",
         reasons=(("mailing_list", "arc=pass"),), ids_order=("envelope_to", "envelope_from", "header_from"),
         spf_first=True, spfs=(("lists.example.org", "mfrom", "pass"),),
         dkims=(("example.org", "s1", "pass"), ("lists.example.org", "sealist", "pass")))], **MS)
add("microsoft-ipv6-only.xml.gz", "gzip", "Enterprise Outlook", "0f0e0d0c0b0a09080706050403020100", "example.net",
    [rec("2603:10a6:20b:4e0::1", 5, hfrom="example.net", eto="fabrikam.com",
         ids_order=("envelope_to", "envelope_from", "header_from"), spf_first=True,
         dkims=(("example.net", "selector1", "pass"),), spfs=(("example.net", "mfrom", "pass"),)),
     rec("2603:10a6:20b:4e0::2", 6, hfrom="example.net", eto="fabrikam.com",
         ids_order=("envelope_to", "envelope_from", "header_from"), spf_first=True,
         dkims=(("example.net", "selector1", "pass"),), spfs=(("example.net", "helo", "pass"),))], **MS)
# 8-9. Yahoo-like: gzip, plain RFC 7489, no version, several DKIM results per record.
YA = dict(email="dmarchelp@yahooinc.com", decl='<?xml version="1.0"?>', pol=G7489)
add("yahoo.com!example.org!1700006400!1700092799.xml.gz", "gzip", "Yahoo", "1700092799.123456", "example.org",
    [rec("198.51.100.25", 31, dkims=(("example.org", "s1", "pass"), ("lists.example.org", "sealist", "pass"),
                                     ("mailgun.example", "mx", "pass")), spfs=(("example.org", None, "pass"),))], **YA)
add("yahoo-quarantine.xml", "plain", "Yahoo", "1700092799.654321", "example.org",
    [rec("203.0.113.200", 4, disp="quarantine", dkim="fail", spf="fail", dkims=(("example.org", "s1", "fail"),),
         spfs=(("bulk.example", None, "neutral"),)),
     rec("203.0.113.201", 0, disp="quarantine", dkim="fail", spf="fail", reasons=(("sampled_out", ""),),
         dkims=(), spfs=(("bulk.example", None, "none"),))], **YA)
# 10-14. RFC 9990 shapes.
add("rfc9990-extensions.xml.gz", "gzip", "Example Receiver", "r9990-ext-1", "example.org",
    [rec("192.0.2.10", 9, disp="pass"), rec("2001:db8::10", 1, disp="pass")], ns=NS2,
    generator="Example DMARC Aggregate Reporter v2.0",
    pol="<p>reject</p><sp>reject</sp><np>reject</np><testing>n</testing><discovery_method>treewalk</discovery_method>",
    extensions="  <extensions><ext:arc xmlns:ext=\"urn:example:arc-ext\"><ext:seen>yes</ext:seen></ext:arc></extensions>")
add("rfc9990-errors.zip", "zip", "Example Receiver", "r9990-err-2", "example.org",
    [rec("192.0.2.11", 2, disp="quarantine", dkim="fail", spf="pass",
         reasons=(("local_policy", "quarantined by receiver policy"), ("forwarded", "second reason")))],
    ns=NS2, errors=("DNS timeout looking up _dmarc.example.org", "report truncated at 10000 records"),
    pol="<p>quarantine</p><testing>y</testing><discovery_method>psl</discovery_method>")
add("rfc9990-prefixed.xml", "plain", "Prefix Mail", "pfx-0001", "example.com",
    [rec("192.0.2.55", 2, hfrom="example.com", dkims=(("example.com", "p", "pass"),), spfs=())],
    ns=NS2, pol="<p>none</p>")
add("rfc9990-psd.xml.gz", "gzip", "PSD Operator", "psd-7", "example",
    [rec("192.0.2.77", 17, hfrom="sub.example", disp="none", dkim="fail", spf="fail",
         dkims=(("sub.example", "k", "permerror"),), spfs=(("sub.example", "mfrom", "temperror"),))],
    ns=NS2, pol="<p>none</p><sp>none</sp><np>reject</np><discovery_method>treewalk</discovery_method>")
add("rfc9990-utf8-org.xml", "plain", "Bücher & Co. Mail \u65e5\u672c", "utf8-\u00e9-42", "example.org",
    [rec("192.0.2.99", 8)], ns=NS2, pol="<p>none</p>")
# 15-18. Odd but valid: BOM, white space and comments before the root, CDATA, CRLF, zero records,
# a count above 2^31, an IPv4-mapped IPv6 source.
add("bom-crlf.xml", "plain", "BOM Reporter", "bom-1", "example.org",
    [rec("192.0.2.1", 3)], decl='\ufeff<?xml version="1.0" encoding="UTF-8"?>', pol=G7489)
add("whitespace-comment.xml", "plain", "Comment Reporter", "cm-1", "example.org",
    [rec("192.0.2.2", 5, reasons=(("other", "<![CDATA[free <text> & more]]>"),))],
    decl="\n\n  <!-- no XML declaration; generated by a comment reporter -->", pol=G7489)
add("zero-records.xml.gz", "gzip", "Quiet Receiver", "quiet-0", "example.org", [], pol=G7489)
add("big-count.zip", "zip", "Big Receiver", "big-1", "example.org",
    [rec("192.0.2.3", 4000000000), rec("::ffff:192.0.2.4", 1)], pol=G7489)

# The prefixed one: rewrite with a namespace prefix on every element.
def prefixify(x):
    import re
    x = x.replace(NS2, ' xmlns:dmarc="urn:ietf:params:xml:ns:dmarc-2.0"')
    return re.sub(r"<(/?)([a-z_]+)([ >])", r"<\1dmarc:\2\3", x)

man = ["# file|org_name|report_id|records|total messages|policy domain|schema|format"]
for name, fmt, xml, org, rid, domain, n, total in reports:
    if name == "rfc9990-prefixed.xml":
        xml = prefixify(xml)
    if name == "bom-crlf.xml":
        xml = xml.replace("\n", "\r\n")
    data = xml.encode("utf-8")
    base = name[:-3] if fmt == "gzip" else name[:-4] + ".xml" if fmt == "zip" else name
    if fmt == "plain":
        open(name, "wb").write(data)
    elif fmt == "gzip":
        open(base, "wb").write(data)
        subprocess.check_call(["gzip", "-9nf", base])
    else:
        open(base, "wb").write(data)
        if os.path.exists(name):
            os.unlink(name)
        subprocess.check_call(["zip", "-qjX", name, base])
        os.unlink(base)
    schema = 9990 if "dmarc-2.0" in xml else 7489
    man.append("|".join([name, org, rid, str(n), str(total), domain, str(schema), fmt]))
open("MANIFEST", "w", encoding="utf-8").write("\n".join(man) + "\n")
