# -*- python -*-
# -*- coding: utf-8 -*-
## "dev" mailing list configuration settings
## captured on Tue Nov 24 09:12:44 2026

## General options
#
# Fundamental list characteristics, including descriptive info and
# basic behaviors.

# The public name of this list (make case-changes only).
real_name = 'Dev'

# The list administrator email addresses.  Multiple administrator
# addresses, each on separate line is okay.
owner = ['owner@example.org', 'second-owner@example.org']

# The list moderator email addresses.  Multiple moderator addresses,
# each on separate line is okay.
moderator = []

# A terse phrase identifying this list.
description = 'Caf\xc3\xa9 developers'

# An introductory description - a few paragraphs - about the list.  It
# will be included, as html, at the top of the listinfo page.
info = """The development list of the Caf\xc3\xa9 project.
Please read the "rules" before posting."""

# Prefix for subject line of list postings.
subject_prefix = '[Dev] '

# Replace the From: header address with the list's posting address to
# mitigate issues stemming from the original From: domain's DMARC or
# similar policies.
#
# legal values are:
#    0 = "No"
#    1 = "Munge From"
#    2 = "Wrap Message"
from_is_list = 1

# Hide the sender of a message, replacing it with the list address
# (Removes From, Sender and Reply-To fields)
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
anonymous_list = 0

# Should any existing Reply-To: header found in the original message be
# stripped?  If so, this will be done regardless of whether an explict
# Reply-To: header is added by Mailman or not.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
first_strip_reply_to = 1

# Where are replies to list messages directed?  Poster is strongly
# recommended for most mailing lists.
#
# legal values are:
#    0 = "Poster"
#    1 = "This list"
#    2 = "Explicit address"
reply_goes_to_list = 2

# Explicit Reply-To: header.
reply_to_address = 'dev-replies@example.org'

# Send password reminders to, eg, "-owner" address instead of directly
# to user.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
umbrella_list = 0

# Suffix for use when this list is an umbrella for other lists, according
# to setting of previous "umbrella_list" setting.
umbrella_member_suffix = '-owner'

# Send monthly password reminders?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
send_reminders = 0

# List-specific text prepended to new-subscriber welcome message
welcome_msg = ''

# Send welcome message to newly subscribed members?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
send_welcome_msg = True

# Text sent to people leaving the list.  If empty, no special text will
# be added to the unsubscribe message.
goodbye_msg = ''

# Send goodbye message to members when they are unsubscribed?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
send_goodbye_msg = 0

# Should the list moderators get immediate notice of new requests, as
# well as daily notices about collected ones?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
admin_immed_notify = 0

# Should administrator get notices of subscribes and unsubscribes?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
admin_notify_mchanges = 0

# Send mail to poster when their posting is held for approval?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
respond_to_post_requests = 0

# Emergency moderation of all list traffic.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
emergency = 0

# Default options for new members joining this list.
#
# legal values are:
#    1 = "Conceal the member's address"
#    2 = "Acknowledge the member's posting"
#    3 = "Do not send a copy of a member's own post"
#    4 = "Filter out duplicate messages to list members (if possible)"
new_member_options = 256

# (Administrivia filter) Check postings and intercept ones that seem to
# be administrative requests?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
administrivia = 1

# Maximum length in kilobytes (KB) of a message body.  Use 0 for no
# limit.
max_message_size = 100

# Maximum number of members to show on one page of the Membership List.
admin_member_chunksize = 30

# Host name this list prefers for email.
host_name = 'lists.example.org'

# Should messages from this mailing list include the RFC 2369 (i.e.
# List-*) headers?  Yes is highly recommended.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
include_rfc2369_headers = 1

# Should postings include the List-Post: header?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
include_list_post_header = 1

# Should the Sender header be rewritten for this mailing list to avoid
# stray bounces?  Yes is recommended.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
include_sender_header = 1

# Discard held messages older than this number of days. Use 0 for no
# automatic discarding.
max_days_to_hold = 14

## Language options
#
# Natural language (internationalization) options.

# Default language for this list.
#
# legal values are:
#    en = "English (USA)"
preferred_language = 'en'

# Languages supported by this list.
available_languages = ['en']

# Always encode RFC 2047 encoded words in the Subject: header?
#
# legal values are:
#    0 = "Never"
#    1 = "As needed"
encode_ascii_prefixes = 0

## Nondigest options
#
# Policies concerning immediately delivered list traffic.

# Can subscribers choose to receive mail immediately, rather than in
# batched digests?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
nondigestable = 1

# Should Mailman personalize each non-digest delivery? This is often
# useful for announce-only lists, but read the details section for a
# discussion of important performance issues.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
#    2 = "Full Personalization"
personalize = 0

# Header added to mail sent to regular list members
msg_header = ''

# Footer added to mail sent to regular list members
msg_footer = """_______________________________________________
%(real_name)s mailing list
%(real_name)s@%(host_name)s
%(web_page_url)slistinfo%(cgiext)s/%(_internal_name)s"""

# Scrub attachments of regular delivery message?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
scrub_nondigest = False

# Other mailing lists on this site whose members are excluded from the
# regular (non-digest) delivery if those list addresses appear in a To:
# or Cc: header.
regular_exclude_lists = []

# Ignore regular_exclude_lists of which the poster is not a member.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
regular_exclude_ignore = True

# Other mailing lists on this site whose members are included in the
# regular (non-digest) delivery if those list addresses don't appear in
# a To: or Cc: header.
regular_include_lists = []

## Digest options
#
# Batched-delivery digest characteristics.

# Can list members choose to receive list traffic bunched in digests?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
digestable = 0

# Which delivery mode is the default for new users?
#
# legal values are:
#    0 = "Regular"
#    1 = "Digest"
digest_is_default = 0

# When receiving digests, which format is default?
#
# legal values are:
#    0 = "Plain"
#    1 = "MIME"
mime_is_default_digest = 0

# How big in Kb should a digest be before it gets sent out?  0 implies no
# maximum size.
digest_size_threshhold = 30

# Should a digest be dispatched daily when the size threshold isn't
# reached?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
digest_send_periodic = 1

# Header added to every digest
digest_header = ''

# Footer added to every digest
digest_footer = """_______________________________________________
%(real_name)s mailing list
%(real_name)s@%(host_name)s
%(web_page_url)slistinfo%(cgiext)s/%(_internal_name)s"""

# How often should a new digest volume be started?
#
# legal values are:
#    0 = "Yearly"
#    1 = "Monthly"
#    2 = "Quarterly"
#    3 = "Weekly"
#    4 = "Daily"
digest_volume_frequency = 1

## Privacy options
#
# This section allows you to configure subscription and membership
# exposure policy.  You can also control whether this list is public or
# not.  See also the Archival Options section for separate archive-
# related privacy settings.

# Advertise this list when people ask what lists are on this machine?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
advertised = 0

# What steps are required for subscription?
#
# legal values are:
#    1 = "Confirm"
#    2 = "Require approval"
#    3 = "Confirm and approve"
subscribe_policy = 3

# List of addresses (or regexps) whose subscriptions do not require
# approval.
subscribe_auto_approval = []

# Is the list moderator's approval required for unsubscription requests?
# (No is recommended)
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
unsubscribe_policy = 1

# List of addresses which are banned from membership in this mailing
# list.
ban_list = ['^.*@banned\\.example$']

# Who can view subscription list?
#
# legal values are:
#    0 = "Anyone"
#    1 = "List members"
#    2 = "List admin only"
private_roster = 2

# Show member addresses so they're not directly recognizable as email
# addresses?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
obscure_addresses = 1

## Privacy options
#
# When a message is posted to the list, a series of moderation steps are
# taken to decide whether a moderator must first approve the message or
# not.  This section contains the controls for moderation of both
# member and non-member postings.

# By default, should new list member postings be moderated?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
default_member_moderation = 1

# Ceiling on acceptable number of member posts, per interval, before
# automatic moderation.
member_verbosity_threshold = 0

# Number of seconds to remember posts to this list to determine
# member_verbosity_threshold for automatic moderation of a member.
member_verbosity_interval = 300

# Action to take when a moderated member posts to the list.
#
# legal values are:
#    0 = "Hold"
#    1 = "Reject"
#    2 = "Discard"
member_moderation_action = 0

# Text to include in any rejection notice to be sent to moderated
# members who post to this list.
member_moderation_notice = ''

# Action to take when anyone posts to the list from a domain with a
# DMARC Reject/Quarantine Policy.
#
# legal values are:
#    0 = "Accept"
#    1 = "Munge From"
#    2 = "Wrap Message"
#    3 = "Reject"
#    4 = "Discard"
dmarc_moderation_action = 2

# Shall the above dmarc_moderation_action apply to messages From:
# domains with DMARC p=quarantine as well as p=reject
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
dmarc_quarantine_moderation_action = True

# Shall the above dmarc_moderation_action apply to messages From:
# domains with DMARC p=none as well as p=quarantine and p=reject
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
dmarc_none_moderation_action = 1

# Text to include in any rejection notice to be sent to anyone who posts
# to this list from a domain with a DMARC Reject/Quarantine Policy.
dmarc_moderation_notice = ''

# If dmarc_moderation_action applies and is Wrap Message, and this text
# is provided, the text will be placed in a separate text/plain MIME
# part preceding the original message part in the wrapped message.
dmarc_wrapped_message_text = 'This post was wrapped: its author\'s domain publishes a DMARC policy.'

# A 'two dimensional' list of email address domains which are
# considered equivalent when checking if a post is from a list member.
equivalent_domains = ''

# List of non-member addresses whose postings should be automatically
# accepted.
accept_these_nonmembers = ['boss@example.com', '^[^@]+@partner\\.example$']

# List of non-member addresses whose postings will be immediately held
# for moderation.
hold_these_nonmembers = []

# List of non-member addresses whose postings will be automatically
# rejected.
reject_these_nonmembers = ['troll@example.net']

# List of non-member addresses whose postings will be automatically
# discarded.
discard_these_nonmembers = ['^.*@spam\\.example$', 'bulk@example.com']

# Action to take for postings from non-members for which no explicit
# action is defined.
#
# legal values are:
#    0 = "Accept"
#    1 = "Hold"
#    2 = "Reject"
#    3 = "Discard"
generic_nonmember_action = 2

# Should messages from non-members, which are automatically discarded,
# be forwarded to the list moderator?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
forward_auto_discards = 1

# Text to include in any rejection notice to be sent to non-members who
# post to this list. This notice can include the list's owner address by
# %(listowner)s and replaces the internally crafted default message.
nonmember_rejection_notice = ''

## Privacy options
#
# This section allows you to configure various filters based on the
# recipient of the message.

# Must posts have list named in destination (to, cc) field (or be among
# the acceptable alias names, specified below)?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
require_explicit_destination = 0

# Alias names (regexps) which qualify as explicit to or cc destination
# names for this list.
acceptable_aliases = """
"""

# Ceiling on acceptable number of recipients for a posting.
max_num_recipients = 5

## Privacy options
#
# This section allows you to configure various anti-spam filters posting
# filters, which can help reduce the amount of spam your list members
# end up receiving.

# Filter rules to match against the headers of a message.
header_filter_rules = []

# Hold posts with header value matching a specified regexp.
bounce_matching_headers = """
# Lines that *start* with a '#' are comments.
to: friend@public.com
message-id: relay.comanche.denmark.eu
from: list@listme.com
from: .*@uplinkpro.com
"""

## Bounce options
#
# These policies control the automatic bounce processing system in
# Mailman.  Here's an overview of how it works.

# Should Mailman perform automatic bounce processing?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
bounce_processing = 1

# The maximum member bounce score before the member's subscription is
# disabled.  This value can be a floating point number.
bounce_score_threshold = 3.0

# The number of days after which a member's bounce information is
# discarded, if no new bounces have been received in the interim.  This
# value must be an integer.
bounce_info_stale_after = 10

# How many Your Membership Is Disabled warnings a disabled member should
# get before their address is removed from the mailing list.  Set to 0
# to immediately remove an address from the list once their bounce
# score exceeds the threshold.  This value must be an integer.
bounce_you_are_disabled_warnings = 2

# The number of days between sending the Your Membership Is Disabled
# warnings.  This value must be an integer.
bounce_you_are_disabled_warnings_interval = 5

# Should Mailman send you, the list owner, any bounce messages that
# failed to be detected by the bounce processor?  Yes is recommended.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
bounce_unrecognized_goes_to_list_owner = 0

# Should Mailman notify you, the list owner, when bounces cause a
# member's bounce score to be incremented?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
bounce_notify_owner_on_bounce_increment = 0

# Should Mailman notify you, the list owner, when bounces cause a
# member's subscription to be disabled?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
bounce_notify_owner_on_disable = 1

# Should Mailman notify you, the list owner, when bounces cause a member
# to be unsubscribed?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
bounce_notify_owner_on_removal = 0

## Archive options
#
# List traffic archival policies.

# Archive messages?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
archive = 1

# Is archive file source for public or private archival?
#
# legal values are:
#    0 = "public"
#    1 = "private"
archive_private = 1

# How often should a new archive volume be started?
#
# legal values are:
#    0 = "Yearly"
#    1 = "Monthly"
#    2 = "Quarterly"
#    3 = "Weekly"
#    4 = "Daily"
archive_volume_frequency = 1

## Gateway options
#
# Mail-to-News and News-to-Mail gateway services.

# The Internet address of the machine your News server is running on.
nntp_host = ''

# The name of the Usenet group to gateway to and/or from.
linked_newsgroup = ''

# Should new posts to the mailing list be sent to the newsgroup?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
gateway_to_news = 0

# Should new posts to the newsgroup be sent to the mailing list?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
gateway_to_mail = 0

# The moderation policy of the newsgroup.
#
# legal values are:
#    0 = "None"
#    1 = "Open list, moderated group"
#    2 = "Moderated"
news_moderation = 0

# Should Mailman add the list's subject prefix to postings gatewayed to
# the newsgroup?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
news_prefix_subject_too = 1

## Autoreply options
#
# Auto-responder characteristics.

# Should Mailman send an auto-response to mailing list posters?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
autorespond_postings = 0

# Auto-response text to send to mailing list posters.
autoresponse_postings_text = ''

# Should Mailman send an auto-response to emails sent to the -owner
# address?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
autorespond_admin = 0

# Auto-response text to send to -owner emails.
autoresponse_admin_text = ''

# Should Mailman send an auto-response to emails sent to the -request
# address?  If you choose yes, decide whether you want Mailman to
# discard the original email, or forward it on to the system as a normal
# mail command.
#
# legal values are:
#    0 = "No"
#    1 = "Yes, w/discard"
#    2 = "Yes, w/forward"
autorespond_requests = 0

# Auto-response text to send to -request emails.
autoresponse_request_text = ''

# Number of days between auto-responses to either the mailing list or
# -request/-owner address from the same poster.  Set to zero (or
# negative) for no grace period (i.e. auto-respond to every message).
autoresponse_graceperiod = 90

## Contentfilter options
#
# Policies concerning the content of list traffic.

# Should Mailman filter the content of list traffic according to the
# settings below?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
filter_content = 0

# Remove message attachments that have a matching content type.
filter_mime_types = ''

# Remove message attachments that don't have a matching content type.
# Leave this field blank to skip this filter test.
pass_mime_types = """multipart/mixed
multipart/alternative
text/plain"""

# Remove message attachments that have a matching filename extension.
filter_filename_extensions = """exe
bat
cmd
com
pif
scr
vbs
cpl"""

# Remove message attachments that don't have a matching filename
# extension.  Leave this field blank to skip this filter test.
pass_filename_extensions = ''

# Should Mailman collapse multipart/alternative to its first part
# content?
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
collapse_alternatives = True

# Should Mailman convert text/html parts to plain text?  This conversion
# happens after MIME attachments have been stripped.
#
# legal values are:
#    0 = "No"
#    1 = "Yes"
convert_html_to_plaintext = 1

# Action to take when a message matches the content filtering rules.
#
# legal values are:
#    0 = "Discard"
#    1 = "Reject"
#    2 = "Forward to List Owner"
#    3 = "Preserve"
filter_action = 0

## Topics options
#
# List topic keywords

# Should the topic filter be enabled or disabled?
#
# legal values are:
#    0 = "Disabled"
#    1 = "Enabled"
topics_enabled = 0

# How many body lines should the topic matcher scan?
topics_bodylines_limit = 5

# Topic keywords.
topics = []

