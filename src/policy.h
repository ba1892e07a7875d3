/*
 * NAME
 *	policy 3h
 * SUMMARY
 *	the posting policy: accept, hold, reject or discard a post, and why
 * DESCRIPTION
 *	policy_decide() is a pure function of the post, the sender's
 *	membership, the stored verdict and the list's settings, so every
 *	rule is tested by a table and the pipeline only gathers the inputs.
 *	The order, first match wins:
 *	  1. loop: the post already carries our List-Id -> discard (logged);
 *	  2. the author's domain failed DMARC (a forgery) -> dmarc_fail_action,
 *	     and the From is never notified, whatever happens next;
 *	  3. dmarc_moderation_action says reject or discard for this author;
 *	  4. emergency -> hold;
 *	  5. automated mail (Auto-Submitted other than "no", Precedence
 *	     bulk/junk/list) -> hold, never answered;
 *	  6. the sender: a moderated member -> hold; a non-member -> the
 *	     first of accept/hold/reject/discard_these_nonmembers that lists
 *	     the address, else generic_nonmember_action;
 *	  7. size (max_message_size KB), explicit recipients
 *	     (max_num_recipients, To and Cc mailboxes), and
 *	     require_explicit_destination (the list named in To or Cc) ->
 *	     hold, as Mailman 2.1 holds them (for members and accepted
 *	     non-members alike).
 *	The sender is the first From mailbox, as Mailman 2.1 uses it.
 */
#ifndef SEALIST_POLICY_H
#define SEALIST_POLICY_H

#include <stddef.h>

#include "msg/msg.h"
#include "rewrite.h"
#include "verdict.h"

enum policy_action { POLICY_ACCEPT, POLICY_HOLD, POLICY_REJECT, POLICY_DISCARD };
extern const char *policy_action_str(enum policy_action);	/* "accept", ... */

struct policy_list {
	const char *address;		/* "dev@example.org" */
	const char *list_id;		/* our List-Id's <id>: "dev.example.org" */
	int	emergency;
	long	max_message_size_kb;	/* 0: no limit */
	long	max_num_recipients;	/* 0: no limit */
	int	require_explicit_destination;
	int	generic_nonmember_action;	/* 0 accept 1 hold 2 reject 3 discard */
	const char *accept_these, *hold_these, *reject_these, *discard_these;
	const char *dmarc_fail_action;	/* accept hold reject discard */
};

struct policy_sender {
	const char *address;		/* first From mailbox; NULL if none */
	int	is_member;
	int	moderated;
};

struct policy_decision {
	enum policy_action action;
	const char *reason;		/* static, one line: "post from a non-member" */
	int	notify_poster;		/* a notice may go to the From address */
	int	dmarc;			/* decided by rule 2 or 3 (DMARC), for the
					   aggregate reports' disposition */
};

extern void policy_decide(const struct msg *, size_t size, const struct policy_list *,
			  const struct policy_sender *, const struct verdict_summary *,
			  enum rewrite_from_action from_action,
			  struct policy_decision *out);

#endif
