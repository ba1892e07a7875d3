/*
 * NAME
 *	request 3h
 * SUMMARY
 *	mail commands: LIST-request@, LIST-join@, LIST-leave@ and the
 *	subscription tokens of LIST-confirm+TOKEN@
 * DESCRIPTION
 *	request_handle() acts on one recipient of a stored message whose
 *	role is request, join or leave, or confirm with a token that is not
 *	a held post's (post.c asks the held posts first).  Commands come from
 *	reqparse (request) or from the address itself (join = subscribe,
 *	leave = unsubscribe, confirm+TOKEN = confirm TOKEN).
 *
 *	The requester is the message's first From mailbox (the address DMARC
 *	judged; RFC 3834 section 4 lets a service responder answer the From
 *	when, as here, its specification says so), else the envelope sender.
 *
 *	Never answered, and not acted on (outcome "discarded", the reason
 *	naming the rule): a null envelope sender; Auto-Submitted other than
 *	"no"; Precedence bulk, junk or list; a List-Id field (a list's
 *	mail); a From or envelope sender that is one of ours (any role
 *	address of any list, MAILER-DAEMON, postmaster); a DMARC verdict of
 *	fail.  Every results mail and confirmation sent to an address
 *	counts against request_replies_per_hour for that address (welcome
 *	and goodbye follow a confirmation and do not); past it, the mail is
 *	not sent (and the reason says so).
 *
 *	A request message gets one reply, template command-results, listing
 *	each command with ">>> " and its result ("processed: ...", "failed:
 *	...", "ignored: ..."), then the lines that were not commands.  When
 *	the commands' own mail to the requester (a confirmation, welcome or
 *	goodbye) says everything (no command failed or was ignored, no text
 *	answer such as help or set, no ignored lines), that mail is the one
 *	answer and the results are not sent.  A subscription of
 *	another address (address=ADDR) sends only the confirmation to ADDR:
 *	no reply to the requester, which says nothing about ADDR.
 *
 *	Double opt-in: see db/009_requests.sql for the pending rows.  The
 *	database changes (pending rows, members, reply counts) are written as
 *	each command runs; the mails are rows of *res, written with the
 *	recipient's outcome by store_inbox_rcpt_finish().
 */
#ifndef SEALIST_REQUEST_H
#define SEALIST_REQUEST_H

#include "msg/msg.h"
#include "post.h"
#include "reqparse.h"
#include "store.h"

/*
 * Parse (role request) and process.  0 with *res ready for
 * store_inbox_rcpt_finish, -1 with *error_r (a local failure: retry).
 * res->verdict must hold the message's verdict (post_handle reads it).
 */
extern int request_handle(struct post_ctx *, const struct store_inbox_msg *,
			  const struct store_rcpt *, const struct msg *,
			  struct post_result *res, const char **error_r);

/*
 * The same with the commands given (NULL for join, leave and confirm,
 * whose command is the role): what request_handle does after parsing.
 */
extern int request_process(struct post_ctx *, const struct store_inbox_msg *,
			   const struct store_rcpt *, const struct msg *,
			   const struct reqparse_result *cmds, struct post_result *res,
			   const char **error_r);

/*
 * An owner's decision on a request awaiting approval (the CLI and web
 * later): action "approve" or "reject".  Approving adds or removes the
 * member and queues the welcome or goodbye mail.  STORE_NOT_FOUND if
 * the token is unknown or not awaiting approval (expired included).
 */
extern int request_decide(struct post_ctx *, const char *token, const char *action,
			  const char **error_r);

/*
 * The web's public subscriber pages (web.c): the same logic as the mail
 * commands, for a request that comes with no message and no requester.
 *   REQUEST_WEB_SUBSCRIBE: "subscribe address=ARG" (+ "digest" when
 *     digest is 1) from nobody in particular, so a third party's: the
 *     confirmation goes to ARG, never an open subscription (nobody has
 *     shown ARG is theirs), and request_replies_per_hour applies to ARG.
 *   REQUEST_WEB_CONFIRM: "confirm ARG" (a pending request's token) for
 *     list: a token of another list fails.
 *   REQUEST_WEB_ONECLICK: ARG leaves list at once (RFC 8058: the caller
 *     has checked the one-click token), with the goodbye mail if the
 *     list's send_goodbye_msg is on; not a member is still "processed".
 * The mails are queued as outbound rows before it returns (*queued_r,
 * may be NULL, gets how many).  STORE_OK with the one result line in
 * text ("processed: ...", "failed: ...", "ignored: ..."), or a STORE_*
 * status (STORE_NO_LIST for an unknown list) with *error_r.
 */
enum request_web_action {
	REQUEST_WEB_SUBSCRIBE,
	REQUEST_WEB_CONFIRM,
	REQUEST_WEB_ONECLICK,
};
extern int request_web(struct post_ctx *, const char *list, enum request_web_action,
		       const char *arg, int digest, char *text, size_t size,
		       size_t *queued_r, const char **error_r);

#endif
