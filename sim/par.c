/* sim/par.c -- see par.h. */
#include "par.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "wallclock.h"

/* Chunks small enough that every worker takes about 16 (the last ones
 * balance the load) and that Ctrl-C waits for at most a few milliseconds
 * of litmus iterations. */
#define PAR_CHUNKS_PER_JOB 16
#define PAR_MAX_CHUNK 4096
#define PAR_POLL_MS 50

typedef struct par_state {
  par_chunk_fn chunk;
  uint64_t first, count, size, nchunks;
  atomic_uint_fast64_t next; /* the next chunk to take */
  atomic_uint_fast64_t done; /* iterations finished */
  atomic_bool stop;
  pthread_mutex_t mu; /* guards what follows */
  pthread_cond_t cv;
  unsigned running;
  int rc; /* of the earliest failing chunk (PA3) */
  uint64_t err_chunk;
  sim_err err;
} par_state;

typedef struct par_worker {
  par_state *s;
  void *w;
  pthread_t th;
} par_worker;

static void *worker_main(void *arg) {
  par_worker *pw = arg;
  par_state *s = pw->s;
  while (!atomic_load(&s->stop)) {
    uint64_t i = atomic_fetch_add(&s->next, 1);
    if (i >= s->nchunks) break;
    uint64_t f = s->first + i * s->size, n = s->first + s->count - f, ran = 0;
    if (n > s->size) n = s->size;
    sim_err e = {0, ""};
    int rc = s->chunk(pw->w, f, n, false, &ran, &e);
    atomic_fetch_add(&s->done, ran);
    if (rc) {
      pthread_mutex_lock(&s->mu);
      if (!s->rc || i < s->err_chunk) s->rc = rc, s->err = e, s->err_chunk = i;
      pthread_mutex_unlock(&s->mu);
      atomic_store(&s->stop, true);
      break;
    }
  }
  pthread_mutex_lock(&s->mu);
  s->running--;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* The calling thread waits for the workers, polling progress (PA4). */
static void wait_workers(par_state *s) {
  pthread_mutex_lock(&s->mu);
  while (s->running) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += PAR_POLL_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&s->cv, &s->mu, &ts);
    if (!sim_progress_flag) continue;
    pthread_mutex_unlock(&s->mu);
    if (sim_progress_poll(atomic_load(&s->done), s->count)) atomic_store(&s->stop, true);
    pthread_mutex_lock(&s->mu);
  }
  pthread_mutex_unlock(&s->mu);
}

int par_run(unsigned jobs, void *const *w, par_chunk_fn chunk, uint64_t first, uint64_t count,
            uint64_t *done, sim_err *err) {
  if (jobs <= 1) return chunk(w[0], first, count, true, done, err); /* PA1 */
  par_state s = {.chunk = chunk, .first = first, .count = count};
  s.size = count / ((uint64_t)jobs * PAR_CHUNKS_PER_JOB);
  if (s.size < 1) s.size = 1;
  if (s.size > PAR_MAX_CHUNK) s.size = PAR_MAX_CHUNK;
  s.nchunks = (count + s.size - 1) / s.size;
  atomic_init(&s.next, 0);
  atomic_init(&s.done, 0);
  atomic_init(&s.stop, false);
  pthread_mutex_init(&s.mu, NULL);
  pthread_cond_init(&s.cv, NULL);
  par_worker *pw = calloc(jobs, sizeof *pw);
  if (!pw) return sim_errf(err, SIM_ENOMEM, "out of memory");
  /* Signals go to this thread alone: the workers start with them blocked. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  unsigned started = 0;
  for (; started < jobs; started++) {
    pw[started] = (par_worker){&s, w[started], 0};
    pthread_mutex_lock(&s.mu);
    s.running++;
    pthread_mutex_unlock(&s.mu);
    if (pthread_create(&pw[started].th, NULL, worker_main, &pw[started]) != 0) {
      pthread_mutex_lock(&s.mu);
      s.running--;
      pthread_mutex_unlock(&s.mu);
      break;
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  int rc = 0;
  if (started == 0) { /* no thread at all: run serially rather than fail */
    rc = chunk(w[0], first, count, true, done, err);
  } else {
    wait_workers(&s);
    for (unsigned i = 0; i < started; i++) pthread_join(pw[i].th, NULL);
    *done = atomic_load(&s.done);
    if (s.rc) *err = s.err, rc = s.rc;
    else if (sim_progress_interrupted()) sim_progress_keep(*done);
  }
  free(pw);
  pthread_cond_destroy(&s.cv);
  pthread_mutex_destroy(&s.mu);
  return rc;
}

int par_run_pool(unsigned jobs, size_t size, par_init_fn init, void *ctx, par_chunk_fn chunk,
                 uint64_t first, uint64_t count, void **pool, double *wall_s, sim_err *err) {
  *pool = calloc(jobs, size);
  *wall_s = 0;
  void **wp = calloc(jobs, sizeof *wp);
  int rc = 0;
  if (!*pool || !wp) rc = sim_errf(err, SIM_ENOMEM, "out of memory");
  for (unsigned i = 0; i < jobs && !rc; i++) {
    wp[i] = (char *)*pool + (size_t)i * size;
    rc = init(wp[i], i, ctx, err);
  }
  uint64_t done = 0;
  double t0 = wallclock_s();
  if (!rc) rc = par_run(jobs, wp, chunk, first, count, &done, err);
  *wall_s = wallclock_s() - t0;
  free(wp);
  return rc;
}

unsigned par_host_jobs(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return (unsigned)CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1;
}

unsigned par_jobs_for(unsigned jobs, uint64_t count) {
  if (jobs == 0) jobs = par_host_jobs();
  if (count < jobs) jobs = count ? (unsigned)count : 1;
  return jobs;
}
