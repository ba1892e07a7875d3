/*
 * test_route_policy -- route_parse (address -> list, role, tag) and
 * policy_decide (the posting rules of policy.h, in their order), table
 * driven on small real-looking posts.
 */
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "route.h"
#include "tap.h"

struct route_case {
	const char *address;
	char	delimiter;
	int	ok;
	const char *list, *role, *tag;
};

static const struct route_case route_cases[] = {
	{"dev@example.org", '+', 1, "dev@example.org", "post", ""},
	{"DEV@Example.ORG", '+', 1, "dev@example.org", "post", ""},
	{"dev-request@example.org", '+', 1, "dev@example.org", "request", ""},
	{"Dev-Owner@example.org", '+', 1, "dev@example.org", "owner", ""},
	{"dev-bounces@example.org", '+', 1, "dev@example.org", "bounces", ""},
	{"dev-bounces+alice=example.net@example.org", '+', 1, "dev@example.org", "bounces",
	 "alice=example.net"},
	{"dev-confirm+AbC123@example.org", '+', 1, "dev@example.org", "confirm", "AbC123"},
	{"dev-join@example.org", '+', 1, "dev@example.org", "join", ""},
	{"dev-leave@example.org", '+', 1, "dev@example.org", "leave", ""},
	{"my-dev-list@example.org", '+', 1, "my-dev-list@example.org", "post", ""},
	{"dev-bounces-x@example.org", '+', 1, "dev-bounces-x@example.org", "post", ""},
	{"dev+tag@example.org", '+', 1, "dev+tag@example.org", "post", ""},
	{"dev-request+x@example.org", '+', 1, "dev-request+x@example.org", "post", ""},
	{"dev-bounces-alice=example.net@example.org", '-', 1, "dev@example.org", "bounces",
	 "alice=example.net"},
	{"dev-bounces@example.org", '-', 1, "dev@example.org", "bounces", ""},
	{"my-list-confirm-tok@example.org", '-', 1, "my-list@example.org", "confirm", "tok"},
	{"-request@example.org", '+', 1, "-request@example.org", "post", ""},
	{"nodomain", '+', 0, NULL, NULL, NULL},
	{"@example.org", '+', 0, NULL, NULL, NULL},
	{"dev@", '+', 0, NULL, NULL, NULL},
};

static void test_route(void)
{
	size_t	i;

	for (i = 0; i < sizeof(route_cases) / sizeof(route_cases[0]); i++) {
		const struct route_case *c = &route_cases[i];
		struct route r;
		int	rc = route_parse(c->address, c->delimiter, &r);

		if (!tap_int(rc == 0, c->ok, c->address) || rc != 0)
			continue;
		tap_str(r.list, c->list, c->address);
		tap_str(route_role_str(r.role), c->role, c->address);
		tap_str(r.tag, c->tag, c->address);
		route_free(&r);
	}
}

#define POST(extra) \
	"From: Alice <alice@example.net>\r\nTo: dev@example.org\r\nSubject: hi\r\n" \
	extra "\r\nbody\r\n"

struct policy_case {
	const char *what;
	const char *message;
	int	member, moderated;
	const char *dmarc;		/* verdict's dmarc result */
	enum rewrite_from_action from_action;
	void	(*tweak)(struct policy_list *);
	enum policy_action want;
	int	want_notify;
	const char *reason;		/* part of it, or NULL */
	size_t	size;			/* 0: the message's */
};

static void emergency(struct policy_list *l) { l->emergency = 1; }
static void nonmember_accept(struct policy_list *l) { l->generic_nonmember_action = 0; }
static void nonmember_reject(struct policy_list *l) { l->generic_nonmember_action = 2; }
static void accept_listed(struct policy_list *l) { l->accept_these = "x@y.example\n^.*@example\\.net$"; }
static void discard_listed(struct policy_list *l) { l->discard_these = "alice@example.net"; }
static void tiny(struct policy_list *l) { l->max_message_size_kb = 1; }
static void fail_reject(struct policy_list *l) { l->dmarc_fail_action = "reject"; }
static void fail_accept(struct policy_list *l) { l->dmarc_fail_action = "accept"; }
static void two_rcpts(struct policy_list *l) { l->max_num_recipients = 2; }

static const struct policy_case policy_cases[] = {
	{"member posts", POST(""), 1, 0, "pass", REWRITE_FROM_KEEP, NULL, POLICY_ACCEPT, 1, NULL, 0},
	{"moderated member held", POST(""), 1, 1, "pass", REWRITE_FROM_KEEP, NULL, POLICY_HOLD, 1,
	 "moderated member", 0},
	{"non-member held by default", POST(""), 0, 0, "pass", REWRITE_FROM_KEEP, NULL, POLICY_HOLD, 1,
	 "non-member", 0},
	{"non-member accepted by generic action", POST(""), 0, 0, "pass", REWRITE_FROM_KEEP,
	 nonmember_accept, POLICY_ACCEPT, 1, NULL, 0},
	{"non-member rejected by generic action", POST(""), 0, 0, "pass", REWRITE_FROM_KEEP,
	 nonmember_reject, POLICY_REJECT, 1, "non-member", 0},
	{"accept_these_nonmembers regex", POST(""), 0, 0, "pass", REWRITE_FROM_KEEP, accept_listed,
	 POLICY_ACCEPT, 1, NULL, 0},
	{"discard_these_nonmembers address", POST(""), 0, 0, "pass", REWRITE_FROM_KEEP, discard_listed,
	 POLICY_DISCARD, 1, "discard_these", 0},
	{"DMARC fail held, poster never told", POST(""), 1, 0, "fail", REWRITE_FROM_MUNGE, NULL,
	 POLICY_HOLD, 0, "DMARC fail", 0},
	{"DMARC fail rejected when set, still no notice", POST(""), 1, 0, "fail", REWRITE_FROM_MUNGE,
	 fail_reject, POLICY_REJECT, 0, "DMARC fail", 0},
	{"DMARC fail accepted when set: member rules go on, no notice", POST(""), 1, 1, "fail",
	 REWRITE_FROM_MUNGE, fail_accept, POLICY_HOLD, 0, "moderated member", 0},
	{"dmarc_moderation_action reject", POST(""), 1, 0, "pass", REWRITE_FROM_REJECT, NULL,
	 POLICY_REJECT, 1, "dmarc_moderation_action", 0},
	{"dmarc_moderation_action discard", POST(""), 1, 0, "pass", REWRITE_FROM_DISCARD, NULL,
	 POLICY_DISCARD, 1, "dmarc_moderation_action", 0},
	{"loop: our List-Id already there", POST("List-Id: Dev <dev.example.org>\r\n"), 1, 0, "pass",
	 REWRITE_FROM_KEEP, NULL, POLICY_DISCARD, 0, "loop", 0},
	{"another list's List-Id is no loop", POST("List-Id: <other.example.org>\r\n"), 1, 0, "pass",
	 REWRITE_FROM_KEEP, NULL, POLICY_ACCEPT, 1, NULL, 0},
	{"emergency holds members too", POST(""), 1, 0, "pass", REWRITE_FROM_KEEP, emergency,
	 POLICY_HOLD, 1, "emergency", 0},
	{"Auto-Submitted: auto-replied held, no notice", POST("Auto-Submitted: auto-replied\r\n"), 1, 0,
	 "pass", REWRITE_FROM_KEEP, NULL, POLICY_HOLD, 0, "automated", 0},
	{"Auto-Submitted: no is a person", POST("Auto-Submitted: no\r\n"), 1, 0, "pass",
	 REWRITE_FROM_KEEP, NULL, POLICY_ACCEPT, 1, NULL, 0},
	{"Precedence: bulk held", POST("Precedence: bulk\r\n"), 1, 0, "pass", REWRITE_FROM_KEEP, NULL,
	 POLICY_HOLD, 0, "automated", 0},
	{"too large", POST(""), 1, 0, "pass", REWRITE_FROM_KEEP, tiny, POLICY_HOLD, 1, "max_message_size",
	 1025},
	{"exactly the limit is fine", POST(""), 1, 0, "pass", REWRITE_FROM_KEEP, tiny, POLICY_ACCEPT, 1,
	 NULL, 1024},
	{"too many recipients", "From: alice@example.net\r\nTo: dev@example.org, b@example.com\r\n\r\nx\r\n",
	 1, 0, "pass", REWRITE_FROM_KEEP, two_rcpts, POLICY_HOLD, 1, "max_num_recipients", 0},
	{"list not named", "From: alice@example.net\r\nTo: other@example.com\r\n\r\nx\r\n", 1, 0, "pass",
	 REWRITE_FROM_KEEP, NULL, POLICY_HOLD, 1, "require_explicit_destination", 0},
	{"list named in Cc, any case", "From: alice@example.net\r\nTo: a@b.example\r\nCc: DEV@Example.org\r\n\r\nx\r\n",
	 1, 0, "pass", REWRITE_FROM_KEEP, NULL, POLICY_ACCEPT, 1, NULL, 0},
};

static void test_policy(void)
{
	size_t	i;

	for (i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		const struct policy_case *c = &policy_cases[i];
		struct policy_list l = {
			.address = "dev@example.org", .list_id = "dev.example.org",
			.max_message_size_kb = 40, .max_num_recipients = 10,
			.require_explicit_destination = 1, .generic_nonmember_action = 1,
			.accept_these = "", .hold_these = "", .reject_these = "",
			.discard_these = "", .dmarc_fail_action = "hold",
		};
		struct policy_sender s = { "alice@example.net", c->member, c->moderated };
		struct verdict_summary v;
		struct policy_decision d;
		struct msg *m;
		const char *error;

		memset(&v, 0, sizeof(v));
		memcpy(v.dmarc, c->dmarc, strlen(c->dmarc) + 1);
		if (c->tweak != NULL)
			c->tweak(&l);
		if (msg_parse(&m, c->message, strlen(c->message), &error) < 0) {
			tap_ok(0, "%s: parse: %s", c->what, error);
			continue;
		}
		policy_decide(m, c->size ? c->size : strlen(c->message), &l, &s, &v, c->from_action, &d);
		tap_str(policy_action_str(d.action), policy_action_str(c->want), c->what);
		tap_int(d.notify_poster, c->want_notify, c->what);
		if (c->reason != NULL)
			tap_ok(d.reason != NULL && strstr(d.reason, c->reason) != NULL,
			       "%s: reason \"%s\"", c->what, d.reason ? d.reason : "(none)");
		msg_free(m);
	}
}

int main(void)
{
	test_route();
	test_policy();
	return tap_done();
}
