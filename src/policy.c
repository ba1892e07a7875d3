/*
 * NAME
 *	policy 3
 * SUMMARY
 *	posting policy decisions
 * DESCRIPTION
 *	See policy.h for the rules and their order.  Header values are read
 *	through lib/addr and exact, case-insensitive field names; nothing
 *	here changes the message.
 */
#include <string.h>
#include <strings.h>

#include "addr/addr.h"
#include "policy.h"
#include "settings.h"

const char *policy_action_str(enum policy_action a)
{
	static const char *const names[] = { "accept", "hold", "reject", "discard" };

	return (size_t) a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

/* Does any List-Id field carry <list_id>? */
static int policy_is_loop(const struct msg *m, const char *list_id)
{
	size_t	n = strlen(list_id);
	long	i;

	for (i = msg_find(m, "List-Id", 0); i >= 0; i = msg_find(m, "List-Id", (size_t) i + 1)) {
		const struct msg_field *f = msg_field(m, (size_t) i);
		const char *v = (const char *) f->value;
		size_t	k;

		for (k = 0; k + n + 2 <= f->value_len; k++)
			if (v[k] == '<' && v[k + n + 1] == '>' && strncasecmp(v + k + 1, list_id, n) == 0)
				return 1;
	}
	return 0;
}

/* The first word of a field value, lowercased, into out (size bytes). */
static void policy_first_word(const struct msg_field *f, char *out, size_t size)
{
	const unsigned char *p = f->value, *end = f->value + f->value_len;
	size_t	n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	while (p < end && n + 1 < size && *p != ';' && *p != ' ' && *p != '\t'
	       && *p != '\r' && *p != '\n' && *p != '(')
		out[n++] = (char) (*p >= 'A' && *p <= 'Z' ? *p++ + 32 : *p++);
	out[n] = 0;
}

/* Auto-Submitted other than "no" (RFC 3834), or Precedence bulk/junk/list. */
static int policy_is_automated(const struct msg *m)
{
	char	word[32];
	long	i;

	if ((i = msg_find(m, "Auto-Submitted", 0)) >= 0) {
		policy_first_word(msg_field(m, (size_t) i), word, sizeof(word));
		if (strcmp(word, "no") != 0)
			return 1;
	}
	if ((i = msg_find(m, "Precedence", 0)) >= 0) {
		policy_first_word(msg_field(m, (size_t) i), word, sizeof(word));
		if (strcmp(word, "bulk") == 0 || strcmp(word, "junk") == 0
		    || strcmp(word, "list") == 0)
			return 1;
	}
	return 0;
}

/* Mailboxes in To and Cc, and whether the list is one of them. */
static void policy_destinations(const struct msg *m, const char *list, size_t *count_r,
				int *named_r)
{
	static const char *const names[] = { "To", "Cc" };
	size_t	k, j, len = strlen(list);
	long	i;

	*count_r = 0;
	*named_r = 0;
	for (k = 0; k < 2; k++)
		for (i = msg_find(m, names[k], 0); i >= 0; i = msg_find(m, names[k], (size_t) i + 1)) {
			const struct msg_field *f = msg_field(m, (size_t) i);
			struct addr_list al;

			if (addr_parse_list(f->value, f->value_len, &al, NULL) < 0) {
				addr_list_free(&al);
				continue;
			}
			*count_r += al.count;
			for (j = 0; j < al.count; j++) {
				size_t	ll = strlen(al.items[j].local);

				if (ll + 1 + strlen(al.items[j].domain) == len
				    && strncasecmp(al.items[j].local, list, ll) == 0 && list[ll] == '@'
				    && strcasecmp(al.items[j].domain, list + ll + 1) == 0)
					*named_r = 1;
			}
			addr_list_free(&al);
		}
}

static enum policy_action policy_word_action(const char *word)
{
	if (strcmp(word, "accept") == 0)
		return POLICY_ACCEPT;
	if (strcmp(word, "reject") == 0)
		return POLICY_REJECT;
	if (strcmp(word, "discard") == 0)
		return POLICY_DISCARD;
	return POLICY_HOLD;
}

#define DECIDE(a, why) do { out->action = (a); out->reason = (why); return; } while (0)

/* Rule 6: who the sender is. */
static void policy_sender_rule(const struct policy_list *l, const struct policy_sender *s,
			       struct policy_decision *out)
{
	static const enum policy_action generic[] = {
		POLICY_ACCEPT, POLICY_HOLD, POLICY_REJECT, POLICY_DISCARD,
	};
	const char *a = s->address;

	if (s->is_member) {
		if (s->moderated)
			DECIDE(POLICY_HOLD, "post from a moderated member");
		DECIDE(POLICY_ACCEPT, NULL);
	}
	if (a != NULL && settings_patterns_match(l->accept_these, a))
		DECIDE(POLICY_ACCEPT, NULL);
	if (a != NULL && settings_patterns_match(l->hold_these, a))
		DECIDE(POLICY_HOLD, "post from a non-member listed in hold_these_nonmembers");
	if (a != NULL && settings_patterns_match(l->reject_these, a))
		DECIDE(POLICY_REJECT, "post from a non-member listed in reject_these_nonmembers");
	if (a != NULL && settings_patterns_match(l->discard_these, a))
		DECIDE(POLICY_DISCARD, "post from a non-member listed in discard_these_nonmembers");
	if (l->generic_nonmember_action < 0 || l->generic_nonmember_action > 3)
		DECIDE(POLICY_HOLD, "post from a non-member");
	DECIDE(generic[l->generic_nonmember_action], "post from a non-member");
}

/* Rule 7: the message itself. */
static void policy_message_rule(const struct msg *m, size_t size, const struct policy_list *l,
				struct policy_decision *out)
{
	size_t	count;
	int	named;

	if (l->max_message_size_kb > 0 && size > (size_t) l->max_message_size_kb * 1024)
		DECIDE(POLICY_HOLD, "message larger than max_message_size");
	policy_destinations(m, l->address, &count, &named);
	if (l->max_num_recipients > 0 && count >= (size_t) l->max_num_recipients)
		DECIDE(POLICY_HOLD, "too many recipients (max_num_recipients)");
	if (l->require_explicit_destination && !named)
		DECIDE(POLICY_HOLD, "the list is not named in To or Cc (require_explicit_destination)");
}

void policy_decide(const struct msg *m, size_t size, const struct policy_list *l,
		   const struct policy_sender *s, const struct verdict_summary *v,
		   enum rewrite_from_action from_action, struct policy_decision *out)
{
	out->action = POLICY_ACCEPT;
	out->reason = NULL;
	out->notify_poster = s->address != NULL;
	out->dmarc = 0;
	if (policy_is_loop(m, l->list_id)) {
		out->notify_poster = 0;
		DECIDE(POLICY_DISCARD, "mail loop: the post already carries our List-Id");
	}
	if (strcmp(v->dmarc, "fail") == 0) {
		/* a forgery: never tell the forged address anything */
		out->notify_poster = 0;
		out->dmarc = 1;		/* until a rule decides otherwise */
		if (policy_word_action(l->dmarc_fail_action) != POLICY_ACCEPT)
			DECIDE(policy_word_action(l->dmarc_fail_action), "DMARC fail");
	}
	if (from_action == REWRITE_FROM_REJECT)
		DECIDE(POLICY_REJECT, "the author's domain publishes a DMARC policy this list "
		       "rejects (dmarc_moderation_action)");
	if (from_action == REWRITE_FROM_DISCARD)
		DECIDE(POLICY_DISCARD, "the author's domain publishes a DMARC policy this list "
		       "discards (dmarc_moderation_action)");
	out->dmarc = 0;
	if (l->emergency)
		DECIDE(POLICY_HOLD, "the list is in emergency moderation");
	if (policy_is_automated(m)) {
		out->notify_poster = 0;
		DECIDE(POLICY_HOLD, "automated mail (Auto-Submitted or Precedence)");
	}
	policy_sender_rule(l, s, out);
	if (out->action != POLICY_ACCEPT)
		return;
	policy_message_rule(m, size, l, out);
}
