/*
 * NAME
 *	workers 3
 * SUMMARY
 *	threads that step workers until idle, then wait for a kick
 * DESCRIPTION
 *	See workers.h.  The threads share only the stop flag and the
 *	condition variable workers_kick() signals; a kick counter (rather
 *	than a flag) means a kick that comes while a thread is busy is not
 *	lost: the thread sees the count moved and goes round again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "workers.h"

struct workers {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int	stopping;
	unsigned long kicks;
	unsigned idle_ms;
	int   (*step)(void *);
	unsigned nthreads;
	pthread_t *threads;
};

struct workers_thread {
	struct workers *ws;
	void   *state;
};

static void workers_wait(struct workers *ws, unsigned long *seen)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ws->idle_ms / 1000;
	until.tv_nsec += (long) (ws->idle_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ws->lock);
	while (!ws->stopping && ws->kicks == *seen)
		if (pthread_cond_timedwait(&ws->wake, &ws->lock, &until) == ETIMEDOUT)
			break;
	*seen = ws->kicks;
	pthread_mutex_unlock(&ws->lock);
}

static int workers_stopping(struct workers *ws)
{
	int	s;

	pthread_mutex_lock(&ws->lock);
	s = ws->stopping;
	pthread_mutex_unlock(&ws->lock);
	return s;
}

static void *workers_main(void *arg)
{
	struct workers_thread *t = arg;
	unsigned long seen = 0;

	while (!workers_stopping(t->ws)) {
		/* work until there is none (or a step fails), then wait */
		while (t->ws->step(t->state) > 0 && !workers_stopping(t->ws))
			;
		workers_wait(t->ws, &seen);
	}
	free(t);
	return NULL;
}

void workers_kick(struct workers *ws)
{
	if (ws == NULL)
		return;
	pthread_mutex_lock(&ws->lock);
	ws->kicks++;
	pthread_cond_broadcast(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
}

static int workers_spawn(struct workers *ws, void *state)
{
	struct workers_thread *t = malloc(sizeof(*t));

	if (t == NULL)
		return -1;
	t->ws = ws;
	t->state = state;
	if (pthread_create(&ws->threads[ws->nthreads], NULL, workers_main, t) != 0) {
		free(t);
		return -1;
	}
	ws->nthreads++;
	return 0;
}

struct workers *workers_start(unsigned n, void *const *state, int (*step)(void *),
			      unsigned idle_ms, const char **error_r)
{
	struct workers *ws = calloc(1, sizeof(*ws));
	unsigned i;

	if (ws == NULL || (ws->threads = calloc(n ? n : 1, sizeof(*ws->threads))) == NULL) {
		free(ws);
		*error_r = "out of memory";
		return NULL;
	}
	pthread_mutex_init(&ws->lock, NULL);
	pthread_cond_init(&ws->wake, NULL);
	ws->step = step;
	ws->idle_ms = idle_ms ? idle_ms : 1000;
	for (i = 0; i < n; i++)
		if (workers_spawn(ws, state[i]) < 0) {
			*error_r = "cannot start a worker thread";
			workers_stop(ws);
			return NULL;
		}
	return ws;
}

void workers_stop(struct workers *ws)
{
	unsigned i;

	if (ws == NULL)
		return;
	pthread_mutex_lock(&ws->lock);
	ws->stopping = 1;
	pthread_cond_broadcast(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
	for (i = 0; i < ws->nthreads; i++)
		pthread_join(ws->threads[i], NULL);
	pthread_cond_destroy(&ws->wake);
	pthread_mutex_destroy(&ws->lock);
	free(ws->threads);
	free(ws);
}
