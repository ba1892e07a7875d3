# -*- python -*-
# -*- coding: us-ascii -*-
## "mylist" mailing list configuration settings
## captured on Fri Nov 27 10:00:00 2026

## General options
#
# Fundamental list characteristics, including descriptive info and basic
# behaviors.

# The public name of this list (make case-changes only).
real_name = 'Mylist'

# The list administrator email addresses.  Multiple administrator
# addresses, each on separate line is okay.
owner = ['admin@example.com']

# A terse phrase identifying this list.
description = ''

# An introductory description - a few paragraphs - about the list.
info = """This is a list about \"things\".
Please be nice."""

# Prefix for subject line of list postings.
subject_prefix = '[Mylist] '

# legal values are:
#    0 = "No"
#    1 = "Yes"
send_reminders = 0

# legal values are:
#    0 = "Poster"
#    1 = "This list"
#    2 = "Explicit address"
reply_goes_to_list = 0

max_message_size = 40

new_member_options = 256

## Nondigest options
#
# Policies concerning immediately delivered list traffic.

msg_footer = """_______________________________________________
%(real_name)s mailing list
%(real_name)s@%(host_name)s
%(web_page_url)slistinfo%(cgiext)s/%(_internal_name)s"""

## Privacy options
#
# List members and non-members

accept_these_nonmembers = ['^.*@example\\.org', 'bob@example.com']

hold_these_nonmembers = []

## Bounce options
#
bounce_score_threshold = 5.0

bounce_info_stale_after = 7

## Topics options
#
topics = [('Topic', 'regex', 'desc', False)]

topics_enabled = 0
