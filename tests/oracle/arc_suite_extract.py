#!/usr/bin/python3
"""arc_suite_extract.py -- the ValiMail ARC test suite as per-case files.

  arc_suite_extract.py validate YAML OUTDIR
      OUTDIR/NNN_name/{message.eml,records.txt,expected-cv,description}
      expected-cv is none/pass/fail; the suite's "" (a chain ended by a
      seal with cv=fail) is written as fail, RFC 8617 section 5.2 step 2.
  arc_suite_extract.py sign YAML OUTDIR
      OUTDIR/NNN_name/{message.eml,records.txt,key.pem,args,AS,AMS,AAR}
      args: "-t T -H SIG-HEADERS -r SRV-ID -d DOMAIN -S SELECTOR", one
      word per line.
  arc_suite_extract.py compare CASEDIR SEALED.eml
      exit 0 iff the newest AAR/AMS/AS of SEALED.eml carry the suite's
      b= and bh= (FWS removed) and the AAR's payload equals the suite's
      after whitespace is collapsed; prints what differs.

Run with /usr/bin/python3 (Debian's python3-yaml).  Messages are written
with CRLF line ends, as they travel in SMTP.
"""
import os
import re
import sys

import yaml


def crlf(text):
    return text.replace('\r\n', '\n').replace('\n', '\r\n').encode('utf-8')


def records(path, txt):
    with open(path, 'w') as f:
        for name, value in (txt or {}).items():
            f.write('%s\t%s\n' % (name, ' '.join(str(value).split('\n'))))


def extract(kind, yml, out):
    os.makedirs(out, exist_ok=True)
    n = 0
    with open(yml) as f:
        docs = list(yaml.safe_load_all(f))
    for doc in docs:
        for name, t in doc['tests'].items():
            n += 1
            d = os.path.join(out, '%03d_%s' % (n, name))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, 'message.eml'), 'wb') as f:
                f.write(crlf(t['message']))
            records(os.path.join(d, 'records.txt'), doc.get('txt-records'))
            with open(os.path.join(d, 'description'), 'w') as f:
                f.write(str(t.get('description', '')).strip() + '\n')
            if kind == 'validate':
                cv = (t['cv'] or 'fail').strip().lower()
                with open(os.path.join(d, 'expected-cv'), 'w') as f:
                    f.write(cv + '\n')
                continue
            with open(os.path.join(d, 'key.pem'), 'w') as f:
                f.write(doc['privatekey'])
            with open(os.path.join(d, 'args'), 'w') as f:
                f.write('\n'.join(['-t', str(t['t']), '-H', t['sig-headers'],
                                   '-r', t['srv-id'], '-d', doc['domain'],
                                   '-S', doc['sel']]) + '\n')
            for h in ('AS', 'AMS', 'AAR'):
                with open(os.path.join(d, h), 'w') as f:
                    f.write(t.get(h) or '')


def tags(value):
    out = {}
    for spec in value.split(';'):
        if '=' in spec:
            k, v = spec.split('=', 1)
            out[k.strip()] = re.sub(r'\s+', '', v)
    return out


def newest(msg, name):
    """Unfolded value of the first (topmost) field called name."""
    head = msg.split('\n\n', 1)[0] if '\n\n' in msg else msg
    fields, cur = [], None
    for line in head.split('\n'):
        if line[:1] in (' ', '\t') and cur is not None:
            cur[1] += ' ' + line.strip()
        else:
            cur = [line.split(':', 1)[0], line.split(':', 1)[1] if ':' in line else '']
            fields.append(cur)
    for n, v in fields:
        if n.lower() == name.lower():
            return v.strip()
    return None


def compare(casedir, sealed):
    with open(sealed, 'rb') as f:
        msg = f.read().decode('utf-8', 'replace').replace('\r\n', '\n')
    bad = []
    for short, name, keys in (('AS', 'ARC-Seal', ('b',)),
                              ('AMS', 'ARC-Message-Signature', ('b', 'bh'))):
        with open(os.path.join(casedir, short)) as f:
            want = tags(f.read())
        got = newest(msg, name)
        if got is None:
            bad.append('%s missing' % short)
            continue
        got = tags(got)
        for k in keys:
            if got.get(k) != want.get(k):
                bad.append('%s %s= differs: got %s want %s'
                           % (short, k, got.get(k), want.get(k)))
    with open(os.path.join(casedir, 'AAR')) as f:
        want = ' '.join(f.read().split())
    got = ' '.join((newest(msg, 'ARC-Authentication-Results') or '').split())
    if got != want:
        bad.append('AAR differs: got %r want %r' % (got, want))
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] in ('validate', 'sign'):
        extract(sys.argv[1], sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == 'compare':
        return compare(sys.argv[2], sys.argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
