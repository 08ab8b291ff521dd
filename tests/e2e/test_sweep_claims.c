/* tests/e2e/test_sweep_claims.c -- sweeps that meet on one database: the
 * rerun right after kill -9 of a sweep's parent, two sweeps of one grid
 * started at once, and the claims a dead or a remote process left behind
 * (sweep.h W2, results/claim.c).
 *
 * What is asserted never depends on timing: each point stored exactly once,
 * every point done, no claim left.  Timing only decides how much of the
 * work each process did.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "../check.h"
#include "sweep.h"

#define ALL "SELECT count(*) FROM runs"
#define DONE "SELECT count(*) FROM runs WHERE status = 'done'"
#define HASHES "SELECT count(DISTINCT config_hash) FROM runs WHERE status = 'done'"
#define CLAIMS "SELECT count(*) FROM claims"

#ifdef MMSIM_SANITIZED
#define ITERS "4000"
#else
#define ITERS "40000"
#endif

/* 4 models x 2 jitters = 8 points, each long enough (a few tenths of a
 * second) that a kill lands while workers hold points. */
static const char pair_json[] =
    "{\"name\": \"pair\", \"workload\": {\"kind\": \"litmus\", \"litmus\": \"" SB_LITMUS "\"},\n"
    " \"run\": {\"iterations\": " ITERS "},\n"
    " \"sweep\": {\"cpu.model\": [\"sc\", \"tso\", \"pso\", \"weak\"], \"net.jitter\": [0, 16]}}\n";

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Start mmsim in cli_dir with output to `log`; its pid. */
static pid_t start(const char *args, const char *log) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "cd %s && exec %s %s > %s 2>&1", cli_dir, MMSIM_BIN, args, log);
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int wait_exit(pid_t pid) {
  int st;
  if (waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void read_log(const char *log) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, log);
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(cli_out, 1, sizeof cli_out - 1, f) : 0;
  cli_out[n] = 0;
  if (f) fclose(f);
}

/* State and parent of pid from /proc/PID/stat; 0 when it has none. */
static char proc_state(long pid, long *ppid, long long *start) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')'), st = 0;
  if (!p || sscanf(p + 2, "%c %ld", &st, ppid) != 2) return 0;
  p += 2;
  for (int k = 0; k < 19 && p; k++) p = strchr(p, ' '), p = p ? p + 1 : NULL;
  if (p && start) *start = strtoll(p, NULL, 10);
  return st;
}

/* The pids whose parent is `parent` (at most n). */
static int children_of(pid_t parent, pid_t *out, int n) {
  int k = 0;
  DIR *d = opendir("/proc");
  struct dirent *e;
  while (d && k < n && (e = readdir(d))) {
    long pid = strtol(e->d_name, NULL, 10), pp = 0;
    if (pid > 0 && proc_state(pid, &pp, NULL) && pp == parent) out[k++] = (pid_t)pid;
  }
  if (d) closedir(d);
  return k;
}

/* Until none of pids runs (gone, or a zombie), a minute at most. */
static void wait_gone(const pid_t *pids, int n) {
  for (int t = 0; t < 60000 / 10; t++) {
    int running = 0;
    for (int k = 0; k < n; k++) {
      long pp;
      char st = proc_state(pids[k], &pp, NULL);
      running += st && st != 'Z' && st != 'X';
    }
    if (!running) return;
    sleep_ms(10);
  }
  CHECK__FAIL("orphaned workers still run after a minute");
}

/* Exactly once, all done, nothing held. */
static void check_once(const char *db, long long points) {
  CHECK_EQ_I64(cli_sql_int(db, ALL), points);
  CHECK_EQ_I64(cli_sql_int(db, DONE), points);
  CHECK_EQ_I64(cli_sql_int(db, HASHES), points);
  CHECK_EQ_I64(cli_sql_int(db, CLAIMS), 0);
}

/* (a) kill -9 of the parent mid-sweep, the same command at once: the
 * workers die with their parent and leave claims of dead owners, which the
 * rerun takes over.  Before: the orphans committed the points they held
 * while the rerun ran them again. */
static void t_kill_resume(void) {
  cli_tmpdir();
  cli_write("pair.json", pair_json);
  pid_t pid = start("sweep pair.json -j2 --db k.db", "k1.log");
  CHECK(pid > 0);
  long long done = 0;
  for (int t = 0; t < 60000 / 5 && done < 1; t++) {
    sleep_ms(5);
    done = cli_sql_int("k.db", DONE);
  }
  CHECK(done >= 1);
  pid_t workers[8];
  int nw = children_of(pid, workers, 8);
  kill(pid, SIGKILL);
  CHECK_EQ_I64(cli("sweep pair.json -j2 --db k.db"), 0);
  CHECK_CONTAINS(cli_out, "8 of 8 points done");
  CHECK_EQ_I64(wait_exit(pid), 128 + SIGKILL);
  wait_gone(workers, nw); /* whatever an orphan would commit is in by now */
  check_once("k.db", 8);
}

/* (b) Two sweeps of one grid at once: they share the points, each stored
 * once, and both end with every point done.  Before: every point twice. */
static void t_concurrent(void) {
  cli_tmpdir();
  cli_write("pair.json", pair_json);
  cli_write("pair2.json", pair_json); /* the same experiment: its name is in the file */
  pid_t a = start("sweep pair.json -j2 --db c.db", "a.log");
  pid_t b = start("sweep pair2.json -j2 --db c.db", "b.log");
  CHECK_EQ_I64(wait_exit(a), 0);
  CHECK_EQ_I64(wait_exit(b), 0);
  read_log("a.log");
  CHECK_CONTAINS(cli_out, "8 of 8 points done");
  read_log("b.log");
  CHECK_CONTAINS(cli_out, "8 of 8 points done");
  check_once("c.db", 8);
  CHECK_EQ_I64(cli_sql_int("c.db", "SELECT count(*) FROM experiments"), 1);
}

/* A claims row as another process would have left it. */
static void put_claim(const char *db, const char *point_sql, long long pid, long long start,
                      const char *host) {
  char path[512], sql[2048];
  snprintf(path, sizeof path, "%s/%s", cli_dir, db);
  snprintf(sql, sizeof sql, "INSERT INTO claims(name, config_json, config_hash, pid, pid_start, "
           "host, claimed_at) SELECT e.name, e.config_json, (%s), %lld, %lld, '%s', "
           "'2026-01-01T00:00:00Z' FROM experiments e", point_sql, pid, start, host);
  sqlite3 *d;
  CHECK(sqlite3_open(path, &d) == SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(d, sql, NULL, NULL, &msg) != SQLITE_OK) CHECK__FAIL("%s: %s", sql, msg);
  sqlite3_free(msg);
  sqlite3_close(d);
}

static void sql_do(const char *db, const char *sql) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, db);
  sqlite3 *d;
  CHECK(sqlite3_open(path, &d) == SQLITE_OK);
  sqlite3_busy_timeout(d, 30000);
  sqlite3_exec(d, "PRAGMA foreign_keys = ON", NULL, NULL, NULL); /* a run's rows go with it */
  char *msg = NULL;
  if (sqlite3_exec(d, sql, NULL, NULL, &msg) != SQLITE_OK) CHECK__FAIL("%s: %s", sql, msg);
  sqlite3_free(msg);
  sqlite3_close(d);
}

/* A database of `grid` with one point (the first seed-6 tso one) missing;
 * the point's hash, for claims. */
#define MISSING "SELECT config_hash FROM runs r JOIN params p ON p.run_id = r.id AND " \
                "p.key = 'cpu.model' WHERE p.value = 'tso' AND r.seed = 6 ORDER BY r.id LIMIT 1"
static void grid_less_one(const char *db) {
  cli_write("grid.json", grid_json);
  CHECK_EQ_I64(cli("sweep grid.json -j2 --db %s", db), 0);
  sql_do(db, "CREATE TABLE gone AS " MISSING "; DELETE FROM runs WHERE config_hash = "
             "(SELECT * FROM gone)");
  CHECK_EQ_I64(cli_sql_int(db, ALL), 11);
}

/* (c) Claims whose owners are gone are taken over: a pid that exited, and
 * a live pid with another start time (the pid reused). */
static void t_stale_claims(void) {
  cli_tmpdir();
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  grid_less_one("s.db");
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  CHECK_EQ_I64(wait_exit(dead), 0);
  put_claim("s.db", "SELECT * FROM gone", dead, 1, host);
  CHECK_EQ_I64(cli("sweep grid.json --db s.db"), 0);
  CHECK_CONTAINS(cli_out, "12 of 12 points done");
  check_once("s.db", 12);

  sql_do("s.db", "DELETE FROM runs WHERE config_hash = (SELECT * FROM gone)");
  long pp;
  long long t0 = 0;
  CHECK(proc_state(getpid(), &pp, &t0));
  put_claim("s.db", "SELECT * FROM gone", getpid(), t0 + 1, host); /* live pid, not its owner */
  CHECK_EQ_I64(cli("sweep grid.json --db s.db"), 0);
  check_once("s.db", 12);
}

/* (d) A claim held by a live process waits for it: the point is not run
 * while held, and is run once the holder lets go.  A claim from another
 * host, which cannot be checked, is left alone and said so, and a shard
 * with such a leftover claim merges as if it had none. */
static void t_held_claims(void) {
  cli_tmpdir();
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  grid_less_one("h.db");
  long pp;
  long long t0 = 0;
  CHECK(proc_state(getpid(), &pp, &t0));
  put_claim("h.db", "SELECT * FROM gone", getpid(), t0, host); /* this test holds it */
  pid_t pid = start("sweep grid.json --db h.db", "h.log");
  for (int t = 0; t < 60000 / 10; t++) { /* until it has asked for the point */
    read_log("h.log");
    if (strstr(cli_out, "is being run by pid")) break;
    sleep_ms(10);
  }
  CHECK_CONTAINS(cli_out, "is being run by pid");
  sleep_ms(600); /* two retries */
  CHECK_EQ_I64(waitpid(pid, NULL, WNOHANG), 0); /* still waiting */
  CHECK_EQ_I64(cli_sql_int("h.db", ALL), 11);
  sql_do("h.db", "DELETE FROM claims"); /* the holder lets go */
  CHECK_EQ_I64(wait_exit(pid), 0);
  read_log("h.log");
  CHECK_CONTAINS(cli_out, "12 of 12 points done");
  check_once("h.db", 12);

  sql_do("h.db", "DELETE FROM runs WHERE config_hash = (SELECT * FROM gone)");
  put_claim("h.db", "SELECT * FROM gone", 1, 1, "elsewhere.example");
  CHECK_EQ_I64(cli("sweep grid.json --db h.db"), 1);
  CHECK_CONTAINS(cli_out, "claimed by a process on another host");
  CHECK_CONTAINS(cli_out, "pid 1 on elsewhere.example since 2026-01-01T00:00:00Z");
  CHECK_EQ_I64(cli_sql_int("h.db", ALL), 11);
  CHECK_EQ_I64(cli_sql_int("h.db", CLAIMS), 1);

  CHECK_EQ_I64(cli("merge m.db h.db"), 0);
  CHECK_EQ_I64(cli_sql_int("m.db", ALL), 11);
  CHECK_EQ_I64(cli_sql_int("m.db", CLAIMS), 0);
}

static const check_case cases[] = {{"kill_resume", t_kill_resume},
                                   {"concurrent", t_concurrent},
                                   {"stale_claims", t_stale_claims},
                                   {"held_claims", t_held_claims},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
