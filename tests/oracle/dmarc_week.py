#!/usr/bin/python3
"""Usage: dmarc_week.py DIR BEGIN END OUTBOUND MODE [FILE]

The figures of the DMARC aggregate reports in DIR (every file but
MANIFEST) whose date_end is in [BEGIN, END) (Unix seconds), worked out
with Python's standard library alone (gzip, zipfile, xml.etree, html.parser:
not with sealist's parser), compared with what sealist shows.  OUTBOUND is
outbound_ips (blank-separated addresses and blocks).  MODE:

  json           print the per-day figures as JSON [{day, messages, pass}]
                 (for the browser flow)
  summary FILE   FILE is `sealist dmarc-report summary DOMAIN` output
  page FILE      FILE is the HTML of /admin/dmarc?domain=...: the chart's
                 bars, the table per day, the sources (the most failing
                 messages first, the list server's marked), the per-receiver
                 totals and the verdict's numbers

Prints one line per difference; the first line says what was compared.
Exit 0 when everything matches and there was something to compare.
"""
import gzip
import html
import html.parser
import io
import ipaddress
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

sys.dont_write_bytecode = True


def xml_of(data):
    if data[:2] == b'\x1f\x8b':
        return gzip.decompress(data)
    if data[:4] == b'PK\x03\x04':
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.read(z.namelist()[0])
    return data


def local(tag):
    return tag.rsplit('}', 1)[-1].split(':')[-1]


def child(e, name):
    for c in e if e is not None else ():
        if local(c.tag) == name:
            return c
    return None


def text(e, *path):
    for p in path:
        e = child(e, p)
    return (e.text or '').strip() if e is not None else ''


def pct(a, b):
    return '-' if b == 0 else '%.1f%%' % (100.0 * a / b)


class Figures:
    def __init__(self, d, begin, end, outbound):
        self.nets = [ipaddress.ip_network(n, strict=False) for n in outbound.split()]
        self.days = {}          # day number -> [messages, dmarc, dkim, spf]
        self.src = {}           # (org, ip) -> [messages, dmarc, dkim, spf, none, pass, quar, rej]
        self.dkim_fail_days = {}  # (org, ip) -> {day: messages that failed DKIM}
        self.reports = 0
        for f in sorted(os.listdir(d)):
            if f == 'MANIFEST':
                continue
            root = ET.fromstring(xml_of(open(os.path.join(d, f), 'rb').read()))
            e = int(text(root, 'report_metadata', 'date_range', 'end'))
            if not begin <= e < end:
                continue
            self.reports += 1
            org = text(root, 'report_metadata', 'org_name')
            for rec in root:
                if local(rec.tag) == 'record':
                    self.add(e // 86400, org, rec)

    def add(self, day, org, rec):
        row = child(rec, 'row')
        n = int(text(row, 'count'))
        pe = child(row, 'policy_evaluated')
        dk, sp, disp = (text(pe, x).lower() for x in ('dkim', 'spf', 'disposition'))
        v = [n, n * (dk == 'pass' or sp == 'pass'), n * (dk == 'pass'), n * (sp == 'pass')]
        dd = self.days.setdefault(day, [0] * 4)
        s = self.src.setdefault((org, text(row, 'source_ip')), [0] * 8)
        for i in range(4):
            dd[i] += v[i]
        if dk != 'pass' and n:
            f = self.dkim_fail_days.setdefault((org, text(row, 'source_ip')), {})
            f[day] = f.get(day, 0) + n
        for i, x in enumerate([v[0], v[1], v[2], v[3], n * (disp == 'none'), n * (disp == 'pass'),
                               n * (disp == 'quarantine'), n * (disp == 'reject')]):
            s[i] += x

    def ours(self, ip):
        a = ipaddress.ip_address(ip)
        return any(a.version == n.version and a in n for n in self.nets)

    def sources_in_order(self):
        """Failing messages first, then messages, org (case ignored), IP."""
        return sorted(self.src.items(), key=lambda kv: (-(kv[1][0] - kv[1][1]), -kv[1][0],
                                                        kv[0][0].lower(), kv[0][0], kv[0][1]))


class Page(html.parser.HTMLParser):
    """The bars, and the rows of the tables by id, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.bars, self.tables, self.table, self.row, self.cell = [], {}, None, None, None
        self.verdict, self.in_verdict, self.para = [], False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'rect' and 'bar' in a.get('class', '').split():
            self.bars.append(a)
        elif tag == 'table':
            self.table = self.tables.setdefault(a.get('id'), [])
        elif tag == 'tr' and self.table is not None:
            self.row = {'attrs': a, 'cells': []}
        elif tag in ('td', 'th') and self.row is not None:
            self.cell = ''
        elif tag == 'section' and a.get('id') == 'dmarc-verdict':
            self.in_verdict = True
        elif tag == 'p' and self.in_verdict:
            self.para = ''

    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.row is not None and self.cell is not None:
            self.row['cells'].append(self.cell.strip())
            self.cell = None
        elif tag == 'tr' and self.row is not None:
            if self.row['attrs']:       # the header rows have none
                self.table.append(self.row)
            self.row = None
        elif tag == 'table':
            self.table = None
        elif tag == 'p' and self.para is not None:
            self.verdict.append(self.para)
            self.para = None
        elif tag == 'section':
            self.in_verdict = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.para is not None:
            self.para += data


def check_page(fig, begin, end, path, bad):
    p = Page()
    p.feed(open(path, encoding='utf-8').read())
    ndays = (end - begin) // 86400
    want_days = []
    for i in range(ndays):
        day = begin // 86400 + i
        d = fig.days.get(day, [0] * 4)
        want_days.append({'day': time.strftime('%Y-%m-%d', time.gmtime(day * 86400)),
                          'messages': str(d[0]), 'pass': str(d[1]), 'rate': pct(d[1], d[0]),
                          'dkim': str(d[2]), 'spf': str(d[3])})
    got_bars = [{'day': b.get('data-day'), 'messages': b.get('data-messages'),
                 'pass': b.get('data-pass')} for b in p.bars]
    want_bars = [{k: w[k] for k in ('day', 'messages', 'pass')} for w in want_days]
    if got_bars != want_bars:
        bad.append('bars: got %s, want %s' % (got_bars, want_bars))
    got = [{'day': r['attrs'].get('data-day'), 'messages': r['cells'][1], 'pass': r['cells'][2],
            'rate': r['cells'][3], 'dkim': r['cells'][4], 'spf': r['cells'][5]}
           for r in p.tables.get('dmarc-days', [])]
    if got != want_days:
        bad.append('table per day: got %s, want %s' % (got, want_days))
    want = []
    for (org, ip), s in fig.sources_in_order():
        want.append([org, ip + (' list server' if fig.ours(ip) else ''), str(s[0]),
                     str(s[0] - s[1]), pct(s[1], s[0]), pct(s[2], s[0]), pct(s[3], s[0]),
                     str(s[4]), str(s[5]), str(s[6]), str(s[7])])
    got = [r['cells'] for r in p.tables.get('dmarc-sources', [])]
    if got != want:
        bad.append('sources: got %s, want %s' % (got, want))
    orgs = {}
    for (org, ip), s in fig.src.items():
        o = orgs.setdefault(org, [0] * 8)
        for i in range(8):
            o[i] += s[i]
    want = [[org, str(o[0]), str(o[0] - o[1]), pct(o[1], o[0]), pct(o[2], o[0]), pct(o[3], o[0]),
             str(o[4]), str(o[5]), str(o[6]), str(o[7])]
            for org, o in sorted(orgs.items(), key=lambda kv: (kv[0].lower(), kv[0]))]
    got = [r['cells'] for r in p.tables.get('dmarc-orgs', [])]
    if got != want:
        bad.append('receivers: got %s, want %s' % (got, want))
    verdict = ' '.join(html.unescape(x) for x in p.verdict)
    check_verdict(fig, verdict, bad)
    return len(want_days), len(fig.src)


def check_verdict(fig, verdict, bad):
    """The numbers the verdict must state, worked out here."""
    ours = {k: v for k, v in fig.src.items() if fig.ours(k[1])}
    total = sum(v[0] for v in ours.values())
    if not fig.src:
        if 'No DMARC aggregate reports' not in verdict:
            bad.append('verdict: does not say there are no reports: ' + verdict)
        return
    if all(v[1] == v[0] for v in ours.values()) and total:
        want = 'All mail from your list server (%d messages) passed DMARC at ' % total
        if want not in verdict:
            bad.append('verdict: no "%s" in: %s' % (want, verdict))
    for (org, ip), v in sorted(ours.items()):
        if v[2] < v[0] and v[1] == v[0]:
            want = 'At %s, DKIM failed for %d of %d messages from %s' % (org, v[0] - v[2], v[0], ip)
            days = fig.dkim_fail_days.get((org, ip), {})
            most = max(days.values())
            worst = time.strftime('%Y-%m-%d', time.gmtime(86400 * min(d for d, n in days.items()
                                                                      if n == most)))
            when = ('It happened on %s.' % worst if len(days) == 1 else
                    'It happened on %d days, the most on %s (%d).' % (len(days), worst, most))
            for w in (want, when, 'sealist key check'):
                if w not in verdict:
                    bad.append('verdict: no "%s" in: %s' % (w, verdict))
    others = {k: v for k, v in fig.src.items() if not fig.ours(k[1])}
    fail = sum(v[0] - v[1] for v in others.values())
    if fail:
        want = 'Of the %d messages from other sources, %d failed DMARC' % (
            sum(v[0] for v in others.values()), fail)
        for w in (want, 'Not your list server'):
            if w not in verdict:
                bad.append('verdict: no "%s" in: %s' % (w, verdict))


def check_summary(fig, path, bad):
    """The CLI's table: "  ORG" lines, then "  * IP numbers" / "    IP numbers"."""
    want = sorted(' '.join([org, '*' if fig.ours(ip) else '-', ip, str(s[0]), pct(s[2], s[0]),
                            pct(s[3], s[0]), pct(s[1], s[0])] + [str(x) for x in s[4:]])
                  for (org, ip), s in fig.src.items())
    got, org = [], None
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line or line.startswith('    SOURCE IP') or line.startswith('* = ') \
                or not line.startswith(' '):
            continue
        if line.startswith('  * ') or line.startswith('    '):
            got.append(' '.join([org, '*' if line[2] == '*' else '-'] + line[4:].split()))
        else:
            org = line[2:].split('  ! ')[0]   # "  ORG  ! N reports by mail that did not pass"
    if sorted(got) != want:
        bad.append('summary: got %s, want %s' % (sorted(got), want))
    return len(want)


def main():
    if len(sys.argv) < 6:
        print(__doc__)
        return 2
    d, begin, end, outbound, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4], sys.argv[5]
    fig = Figures(d, begin, end, outbound)
    if mode == 'json':
        print(json.dumps([{'day': time.strftime('%Y-%m-%d', time.gmtime(day * 86400)),
                           'messages': fig.days.get(day, [0, 0])[0],
                           'pass': fig.days.get(day, [0, 0])[1]}
                          for day in range(begin // 86400, end // 86400)]))
        return 0
    bad = []
    if mode == 'page':
        n, m = check_page(fig, begin, end, sys.argv[6], bad)
        print('%d reports, %d days, %d sources compared' % (fig.reports, n, m))
    elif mode == 'summary':
        n = check_summary(fig, sys.argv[6], bad)
        print('%d reports, %d sources compared' % (fig.reports, n))
    else:
        print('unknown mode ' + mode)
        return 2
    for b in bad:
        print(b)
    return 0 if not bad and (fig.reports or mode == 'page') else 1


if __name__ == '__main__':
    sys.exit(main())
