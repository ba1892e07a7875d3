/*
 * NAME
 *	workers 3h
 * SUMMARY
 *	a fixed set of threads that each run one worker's steps until idle
 * DESCRIPTION
 *	The pipeline and the delivery queue both run N workers that share
 *	nothing: each thread calls step(worker) until it returns 0 (nothing
 *	to do) or -1 (a failure, already logged), then sleeps until
 *	workers_kick() or idle_ms, and again.  Stopping lets every thread
 *	finish its current step.
 */
#ifndef SEALIST_WORKERS_H
#define SEALIST_WORKERS_H

struct workers;

/*
 * Start one thread per state[0..n); step is called with a state, and
 * the states stay the caller's (free them after workers_stop).  NULL
 * with *error_r if a thread cannot start (the started ones are stopped).
 */
extern struct workers *workers_start(unsigned n, void *const *state,
				     int (*step)(void *state), unsigned idle_ms,
				     const char **error_r);
extern void workers_kick(struct workers *);
/* Let the current steps finish, join every thread, free; NULL is fine. */
extern void workers_stop(struct workers *);

#endif
