/*
 * NAME
 *	rewrite 3h
 * SUMMARY
 *	the edits a list makes to a post, DMARC-safe by construction
 * DESCRIPTION
 *	rewrite_post() turns an accepted post into what the list sends, as
 *	edits on lib/msg's raw message (whole fields removed, inserted or
 *	replaced; the body appended to or wrapped, never re-encoded where it
 *	is not touched):
 *	  1. fields that must not go out again: Return-Path, Delivered-To,
 *	     an upstream list's List-* fields and Precedence;
 *	  2. subject_prefix (idempotent, RFC 2047 subjects included),
 *	     msg_header / msg_footer (MIME-correct, lib/mime), List-Id (RFC
 *	     2919), List-Post/-Help/-Subscribe/-Unsubscribe/-Owner (RFC 2369),
 *	     List-Unsubscribe-Post (RFC 8058), Precedence: list;
 *	  3. the author's signature kept when it still verifies over the
 *	     result and dmarc_keep_unmodified allows (then From is kept too);
 *	  4. From handling per from_is_list / dmarc_moderation_action and
 *	     friends (rewrite_from_action), Mailman 2.1's munging with its
 *	     Reply-To / Cc rules, or wrapping in message/rfc822;
 *	  5. DKIM-Signature and DomainKey-Signature removed per
 *	     remove_dkim_headers (Mailman's 0-3), except a kept signature;
 *	  6. Authentication-Results fields claiming our authserv-id removed
 *	     (forged), ours added at the top.
 *	Settings come in as a struct of plain values (the caller reads them
 *	from the settings table), so this module knows nothing of the store.
 */
#ifndef SEALIST_REWRITE_H
#define SEALIST_REWRITE_H

#include <stddef.h>

#include "dkim/dkim.h"
#include "dmarc/dmarc.h"
#include "msg/msg.h"

/* The list, as the fields it adds name it. */
struct rewrite_list {
	const char *local_part;		/* "dev" */
	const char *domain;		/* "example.org" */
	const char *real_name;		/* "Dev" (display name, prefix) */
	const char *description;	/* List-Id phrase; "" for none */
	char	delimiter;		/* recipient_delimiter, '+' */
	const char *web_base_url;	/* "https://lists.example.org"; "" no web */
	const char *info;		/* %(info)s in msg_header/msg_footer;
					   NULL or "" for none (added field) */
};

/* The settings rewrite reads, in SETTINGS.md's encodings. */
struct rewrite_settings {
	const char *subject_prefix;	/* as stored; %(real_name)s and
					   friends are expanded here */
	const char *msg_header, *msg_footer;	/* Mailman %(name)s variables */
	int	from_is_list;		/* 0 none, 1 munge, 2 wrap */
	int	dmarc_moderation_action;	/* 0 accept 1 munge 2 wrap 3 reject 4 discard */
	int	dmarc_quarantine_moderation_action;	/* bool */
	int	dmarc_none_moderation_action;		/* bool */
	const char *dmarc_wrapped_message_text;
	int	dmarc_keep_unmodified;	/* bool */
	int	remove_dkim_headers;	/* 0 never 1 when munged/wrapped 2 always 3 always+copies */
	int	reply_goes_to_list;	/* 0 poster 1 list 2 explicit */
	const char *reply_to_address;	/* for 2 */
	int	first_strip_reply_to;	/* bool */
	int	include_rfc2369_headers;	/* bool */
	int	one_click_unsubscribe;	/* bool: List-Unsubscribe-Post */
};

/* What DMARC said about the author, for the From decision. */
struct rewrite_author {
	const char *domain;		/* author domain, NULL if none */
	const char *org_domain;		/* its organizational domain, or NULL */
	enum dmarc_policy policy;	/* p/sp/np that applies; UNSET: no record */
	int	adkim_strict;		/* for the keep check's alignment */
	int	dns_error;		/* the policy lookup failed (temperror):
					   treated as p=reject, as Mailman does */
	int	listed;			/* in dmarc_moderation_addresses */
};

enum rewrite_from_action {
	REWRITE_FROM_KEEP = 0,
	REWRITE_FROM_MUNGE,
	REWRITE_FROM_WRAP,
	REWRITE_FROM_REJECT,		/* the post must be rejected (policy's job) */
	REWRITE_FROM_DISCARD,		/* the post must be discarded (policy's job) */
};

/*
 * The From decision before any edit (Mailman 2.1's rules): the DMARC
 * action applies when the author's policy is reject, or quarantine with
 * dmarc_quarantine_moderation_action, or none with both flags, or the
 * author is listed, or the lookup failed; otherwise from_is_list.
 */
extern enum rewrite_from_action rewrite_from_action(const struct rewrite_settings *,
						    const struct rewrite_author *);

struct rewrite_result {
	enum rewrite_from_action from_action;	/* what was done to From */
	int	kept_signature;		/* the author's signature survived (3) */
	size_t	dkim_removed;		/* signatures removed (5) */
	int	prefix_added, header_added, footer_added;
	int	wrapped;		/* the post went into message/rfc822 */
	const char *note;		/* why a footer could not be added, or NULL */
	/* (note also names unknown %(name)s variables; it points to
	   thread-local storage valid until the thread's next rewrite_post) */
};

/*
 * Apply steps 1-6 to *m (replaced by a new message when wrapped).
 * from_action is rewrite_from_action()'s, unless the caller overrode it
 * (a moderator approving with munging); REJECT and DISCARD are refused.
 * verify (NULL: no keep check) is used for step 3.  authres_field is our
 * complete "Authentication-Results: ..." field (folded, no final line
 * end), authserv_id ours.  Returns 0 with *res, or -1 with *error_r;
 * on -1 *m is unchanged.
 */
extern int rewrite_post(struct msg **m, const struct rewrite_list *,
			const struct rewrite_settings *,
			const struct rewrite_author *,
			enum rewrite_from_action from_action,
			const struct dkim_verify_opts *verify,
			const char *authres_field, const char *authserv_id,
			struct rewrite_result *res, const char **error_r);

#endif
