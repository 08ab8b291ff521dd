/* sim/sweep_pool.c -- the worker processes of a sweep (sweep.h: W3 and
 * "Interrupt").
 *
 * Shape: the parent schedules, the workers run.  Each worker has its own
 * command pipe (parent -> worker: point numbers, one uint32_t each) and all
 * share one result pipe (worker -> parent: one fixed-size message per point,
 * smaller than PIPE_BUF, so concurrent writes never interleave).  A worker
 * holds one point at a time and gets the next when its result comes back:
 * points differ tenfold in cost (sc against weak, jitter 0 against 64), and
 * a static split would leave one worker idle while the other finishes its
 * share.  Stopping is simply not handing out the next point.
 *
 * Why processes, not threads: a run that crashes (an assert, a sim_panic on
 * a deadlock, a sanitizer report) kills one worker, which the parent reports
 * with its point, not the sweep; and SQLite handles never cross a fork: the
 * plan's handle is closed before the fork and each worker opens its own
 * (busy_timeout in results/db.c serialises the commits).
 *
 * Signals.  The parent counts SIGINT and notes SIGTERM in two flags (the one
 * mutable global state here, and it has to be: a signal handler has no
 * context argument), installed without SA_RESTART so poll() wakes up.
 * Workers ignore SIGINT -- a terminal's Ctrl-C reaches the whole process
 * group, and finishing or abandoning the runs in flight is the parent's
 * call -- and keep SIGTERM's default, which is how the parent abandons them.
 * SIGPIPE is ignored in the parent while workers live: a write to a dead
 * worker fails with EPIPE, reported, instead of killing the sweep.
 *
 * Workers die with the parent.  A parent killed with kill -9 runs no
 * handler, and its workers used to run on as orphans and commit the points
 * they held while the rerun started the same points again.  Each worker
 * asks the kernel for SIGKILL when its parent dies (PR_SET_PDEATHSIG) and
 * then checks getppid(): a parent that died between fork and prctl is not
 * signalled for, and the worker would find itself adopted.  Their
 * uncommitted transactions leave nothing (SQLite's atomic commit).
 *
 * Claims (W2, results/claim.c).  Before running a point the worker claims
 * it in the database; the answer is one of
 *   taken  run it; the run's commit releases the claim, a failure releases
 *          it explicitly;
 *   done   another process stored it since the plan was read: counted as
 *          done, not run;
 *   held   a live process on this host runs it (a concurrent sweep): the
 *          parent hands it out again a little later (RETRY_S), until it is
 *          done or its holder is gone and the claim can be taken over, so
 *          a sweep ends with every point done;
 *   remote held from another host, whose liveness cannot be checked: left
 *          to that host, and the sweep ends saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "sweep_int.h"
#include "wallclock.h"

static volatile sig_atomic_t sigint_count, sigterm_seen;

static void on_sigint(int sig) {
  (void)sig;
  sigint_count++;
}

static void on_sigterm(int sig) {
  (void)sig;
  sigterm_seen = 1;
}

enum { RETRY_MS = 250 }; /* how soon a point held elsewhere is asked for again */

typedef enum { RES_RAN, RES_DONE, RES_HELD, RES_REMOTE } result_kind;

typedef struct result_msg {
  uint32_t point;
  int32_t code;
  int32_t kind; /* result_kind; meaningful when code is 0 */
  double wall_s;
  char msg[480];
} result_msg;
_Static_assert(sizeof(result_msg) <= 512, "one atomic pipe write (PIPE_BUF >= 512)");

typedef struct worker {
  pid_t pid;
  int cmd; /* write end of its command pipe; -1 once closed */
  bool busy, alive;
  uint32_t point;
} worker;

static bool write_full(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w, n -= (size_t)w;
  }
  return true;
}

/* Whole message or nothing; false at end of file. */
static bool read_full(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r, n -= (size_t)r;
  }
  return true;
}

/* ---- The worker ---- */

static void run_point(const sweep_plan *p, run_session *s, uint32_t i, result_msg *m) {
  sim_err err = {0, ""};
  cfg *c = sweep__point_cfg(p, i, &err);
  m->code = c ? run_config(s, c, NULL, &err) : err.code;
  if (m->code) snprintf(m->msg, sizeof m->msg, "%.*s", (int)sizeof m->msg - 1, err.msg);
  cfg_free(c);
}

/* Claim point i, and run it if the claim is ours. */
static void claim_and_run(const sweep_plan *p, run_session *s, db *cd, const db_owner *me,
                          uint32_t i, result_msg *m) {
  sim_err err = {0, ""};
  db_claim_state st;
  db_owner h;
  const char *hash = p->pts[i].hash;
  m->code = db_claim_take(cd, p->name, p->source, hash, me, sweep__owner_alive, (void *)me, &st,
                          &h, &err);
  if (m->code) {
    snprintf(m->msg, sizeof m->msg, "%.*s", (int)sizeof m->msg - 1, err.msg);
    return;
  }
  if (st != DB_CLAIM_TAKEN) {
    m->kind = st == DB_CLAIM_DONE ? RES_DONE : sweep__owner_remote(me, &h) ? RES_REMOTE : RES_HELD;
    if (st == DB_CLAIM_HELD)
      snprintf(m->msg, sizeof m->msg, "pid %" PRId64 " on %.200s since %s", h.pid, h.host,
               h.claimed_at);
    return;
  }
  m->kind = RES_RAN;
  run_point(p, s, i, m);
  if (m->code) db_claim_release(cd, p->name, p->source, hash, me, &err); /* C4: or left to C2 */
}

static _Noreturn void worker_main(const sweep_plan *p, pid_t parent, int cmd, int res) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0); /* the parent died before prctl: nothing will signal us */
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  run_session *s = NULL;
  db *cd = NULL; /* claims: a handle of its own, run_session keeps its one to itself */
  db_owner me;
  sweep__owner_self(&me);
  sim_err err = {0, ""};
  run_opts ro = {.jobs = 1, /* the sweep's own -j runs points side by side */
                 .db_path = p->o->db_path, .experiment = p->name, .config_json = p->source,
                 .join = true};
  int open_rc = run_session_open(&s, &ro, &err);
  if (!open_rc) open_rc = db_open(p->o->db_path, &cd, &err);
  uint32_t i;
  while (read_full(cmd, &i, sizeof i)) {
    result_msg m = {.point = i};
    double t0 = wallclock_s();
    if (open_rc) {
      m.code = open_rc;
      snprintf(m.msg, sizeof m.msg, "%.*s", (int)sizeof m.msg - 1, err.msg);
    } else {
      claim_and_run(p, s, cd, &me, i, &m);
    }
    m.wall_s = wallclock_s() - t0;
    if (!write_full(res, &m, sizeof m)) break;
  }
  db_close(cd);
  run_session_close(s);
  _exit(0); /* not exit(): the parent's stdio buffers and atexit are its own */
}

/* ---- The parent ---- */

/* Points held by another live process, to be asked for again at `at`. */
typedef struct deferred {
  uint32_t point;
  double at; /* wallclock_s() */
} deferred;

typedef struct pool {
  const sweep_plan *p;
  worker *w;
  unsigned nw, busy;
  int res; /* read end of the result pipe */
  size_t next; /* into p->todo */
  deferred *def; /* a ring of p->ntodo: each point is in it at most once */
  size_t def_head, ndef;
  bool noted_held;
  size_t nremote; /* points left to another host */
  char remote[160]; /* the first of them, for the message */
  bool stop, abandoned; /* abandoned: busy workers were sent SIGTERM */
  int rc; /* the first failure */
  sweep_progress pg;
} pool;

static int spawn(pool *pl, unsigned n, sim_err *err) {
  int rp[2];
  if (pipe2(rp, O_CLOEXEC)) return sim_errf(err, SIM_EIO, "sweep: pipe: %s", strerror(errno));
  pl->res = rp[0];
  pid_t parent = getpid();
  fflush(NULL); /* or the children would flush the parent's buffered output again */
  for (unsigned k = 0; k < n; k++) {
    int cp[2];
    if (pipe2(cp, O_CLOEXEC)) {
      sim_errf(err, SIM_EIO, "sweep: pipe: %s", strerror(errno));
      break;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(cp[1]);
      close(rp[0]);
      for (unsigned j = 0; j < pl->nw; j++) close(pl->w[j].cmd); /* siblings' pipes */
      worker_main(pl->p, parent, cp[0], rp[1]);
    }
    close(cp[0]);
    if (pid < 0) {
      close(cp[1]);
      sim_errf(err, SIM_EIO, "sweep: fork: %s", strerror(errno));
      break;
    }
    pl->w[pl->nw++] = (worker){.pid = pid, .cmd = cp[1], .alive = true};
  }
  close(rp[1]); /* now the workers hold the only write ends */
  return pl->nw == n ? 0 : err->code;
}

static void fail(pool *pl, int code, sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(pool *pl, int code, sim_err *err, const char *fmt, ...) {
  pl->stop = true;
  if (pl->rc) return; /* the first error is the one to fix */
  va_list ap;
  va_start(ap, fmt);
  char msg[sizeof err->msg];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pl->rc = sim_errf(err, code, "%s", msg);
}

/* The next point to hand out: the plan's, then the held ones whose time
 * has come; false when there is none now. */
static bool next_point(pool *pl, uint32_t *i) {
  if (pl->next < pl->p->ntodo) {
    *i = (uint32_t)pl->p->todo[pl->next++];
    return true;
  }
  if (!pl->ndef || pl->def[pl->def_head].at > wallclock_s()) return false; /* FIFO: head is due first */
  *i = pl->def[pl->def_head].point;
  pl->def_head = (pl->def_head + 1) % pl->p->ntodo;
  pl->ndef--;
  return true;
}

static void defer(pool *pl, uint32_t i) {
  pl->def[(pl->def_head + pl->ndef++) % pl->p->ntodo] =
      (deferred){.point = i, .at = wallclock_s() + RETRY_MS / 1000.0};
}

static void dispatch(pool *pl, sim_err *err) {
  unsigned alive = 0;
  for (unsigned k = 0; k < pl->nw && !pl->stop; k++) {
    worker *w = &pl->w[k];
    alive += w->alive;
    if (!w->alive || w->busy) continue;
    uint32_t i;
    if (!next_point(pl, &i)) continue;
    if (!write_full(w->cmd, &i, sizeof i)) {
      fail(pl, SIM_EIO, err, "sweep: worker %d: %s", (int)w->pid, strerror(errno));
      return;
    }
    w->busy = true, w->point = i, pl->busy++;
  }
  if (!alive && !pl->stop && (pl->next < pl->p->ntodo || pl->ndef))
    fail(pl, SIM_EIO, err, "sweep: every worker has exited, %zu point(s) not run",
         pl->p->ntodo - pl->next + pl->ndef);
}

static void take_result(pool *pl, const result_msg *m, sim_err *err) {
  for (unsigned k = 0; k < pl->nw; k++)
    if (pl->w[k].busy && pl->w[k].point == m->point) {
      pl->w[k].busy = false;
      pl->busy--;
      break;
    }
  char what[256];
  if (m->code) {
    fail(pl, m->code, err, "point %s: %s", sweep__point_str(pl->p, m->point, what, sizeof what),
         m->msg);
    return;
  }
  switch ((result_kind)m->kind) {
  case RES_RAN:
    sweep__progress_run(&pl->pg, pl->p, m->point, m->wall_s);
    break;
  case RES_DONE:
    sweep__progress_skip(&pl->pg, pl->p, m->point);
    break;
  case RES_HELD:
    if (!pl->noted_held) {
      char note[512];
      snprintf(note, sizeof note, "point %s is being run by %.200s (another sweep); waiting "
               "for it and any others", sweep__point_str(pl->p, m->point, what, sizeof what),
               m->msg);
      sweep__progress_note(&pl->pg, note);
      pl->noted_held = true;
    }
    defer(pl, m->point);
    break;
  case RES_REMOTE:
    if (!pl->nremote++)
      snprintf(pl->remote, sizeof pl->remote, "%.150s", m->msg);
    break;
  }
}

/* Every result already in the pipe (timeout_ms: how long to wait for one). */
static void drain(pool *pl, int timeout_ms, sim_err *err) {
  struct pollfd pfd = {.fd = pl->res, .events = POLLIN};
  while (poll(&pfd, 1, timeout_ms) > 0) {
    result_msg m;
    if (!read_full(pl->res, &m, sizeof m)) break; /* every worker gone */
    take_result(pl, &m, err);
    timeout_ms = 0;
  }
}

/* A worker that exits while it holds a point died of it. */
static void reap(pool *pl, sim_err *err) {
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    for (unsigned k = 0; k < pl->nw; k++) {
      worker *w = &pl->w[k];
      if (w->pid != pid) continue;
      drain(pl, 0, err); /* its last result may still be in the pipe */
      w->alive = false;
      if (w->busy) {
        char what[256];
        w->busy = false;
        pl->busy--;
        if (!pl->abandoned)
          fail(pl, SIM_EIO, err, "point %s: worker %d %s %d", sweep__point_str(pl->p, w->point,
             what, sizeof what), (int)pid, WIFSIGNALED(st) ? "killed by signal" : "exited with",
             WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
      }
    }
  }
}

/* Abandon the runs in flight: their transactions never commit. */
static void abandon(pool *pl) {
  pl->abandoned = true;
  for (unsigned k = 0; k < pl->nw; k++)
    if (pl->w[k].alive && pl->w[k].busy) kill(pl->w[k].pid, SIGTERM);
}

int sweep__pool_run(const sweep_plan *p, sweep_stats *st, sim_err *err) {
  unsigned jobs = p->o->jobs;
  if (!jobs) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n > 0 ? (unsigned)n : 1;
  }
  if (jobs > p->ntodo) jobs = (unsigned)p->ntodo;
  pool pl = {.p = p, .res = -1};
  sweep__progress_start(&pl.pg, p, jobs);
  if (!p->ntodo) {
    sweep__progress_end(&pl.pg);
    return 0;
  }
  if (!(pl.w = calloc(jobs, sizeof *pl.w)) || !(pl.def = calloc(p->ntodo, sizeof *pl.def))) {
    free(pl.w);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }

  struct sigaction sa = {0}, old_int, old_term, old_pipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_sigint;
  sigint_count = 0, sigterm_seen = 0;
  sigaction(SIGINT, &sa, &old_int);
  sa.sa_handler = on_sigterm;
  sigaction(SIGTERM, &sa, &old_term);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &old_pipe);

  double t0 = wallclock_s();
  if (spawn(&pl, jobs, err)) fail(&pl, err->code, err, "%s", err->msg);
  bool interrupted = false;
  for (;;) {
    if ((sigint_count > 1 || sigterm_seen) && !pl.abandoned) {
      interrupted = pl.stop = true;
      if (pl.busy) {
        char note[128];
        snprintf(note, sizeof note, "abandoning %u run(s) in flight", pl.busy);
        sweep__progress_note(&pl.pg, note);
      }
      abandon(&pl);
    } else if (sigint_count == 1 && !interrupted) {
      interrupted = pl.stop = true;
      if (pl.busy) {
        char note[160];
        snprintf(note, sizeof note, "interrupted: finishing %u run(s) in flight "
                 "(Ctrl-C again to abandon them)", pl.busy);
        sweep__progress_note(&pl.pg, note);
      }
    }
    dispatch(&pl, err);
    if (!pl.busy && (pl.stop || (pl.next == p->ntodo && !pl.ndef))) break;
    drain(&pl, 100, err);
    reap(&pl, err);
    sweep__progress_tick(&pl.pg);
  }
  for (unsigned k = 0; k < pl.nw; k++) close(pl.w[k].cmd); /* EOF: idle workers exit */
  for (unsigned k = 0; k < pl.nw; k++)
    while (waitpid(pl.w[k].pid, NULL, 0) < 0 && errno == EINTR) {
    }
  close(pl.res);
  st->ran = pl.pg.ran;
  st->wall_s = wallclock_s() - t0;
  sweep__progress_end(&pl.pg);

  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  free(pl.w);
  free(pl.def);
  size_t done = pl.pg.done, left = p->npts - done;
  if (interrupted && !pl.rc)
    return sim_errf(err, SIM_EINTERRUPTED, "interrupted: %zu of %zu points done (%zu by this "
                    "command), %zu to go; run the same command again to resume",
                    done, p->npts, pl.pg.ran, left);
  if (pl.rc) {
    char first[sizeof err->msg];
    snprintf(first, sizeof first, "%s", err->msg);
    sim_errf(err, pl.rc, "%.360s (%zu of %zu points done; the same command resumes after a fix)", first,
             done, p->npts);
  }
  if (!pl.rc && pl.nremote)
    return sim_errf(err, SIM_EDB, "%zu of %zu points done; %zu point(s) are claimed by a process "
                    "on another host (the first: %s), whose liveness cannot be checked from "
                    "here; run the same command again once it has finished", done, p->npts,
                    pl.nremote, pl.remote);
  return pl.rc;
}
