# -*- python -*-
# -*- coding: iso-8859-1 -*-
## "caf" mailing list configuration settings
## captured on Tue Nov 24 09:12:44 2026

## General options
#
# Fundamental list characteristics, including descriptive info and
# basic behaviors.

# A terse phrase identifying this list.
description = 'Caf\xe9 fran\xe7ais'

# An introductory description - a few paragraphs - about the list.  It
# will be included, as html, at the top of the listinfo page.
info = """Liste du café.
Prière de lire les règles."""

# Prefix for subject line of list postings.
subject_prefix = u'[Caf\xe9] '
