/* tests/e2e/test_interrupt.c -- long single runs: progress on a terminal
 * only, and Ctrl-C (SIGINT) ending a litmus run early with what was done
 * stored, said, and exit status 130. */
#include <fcntl.h>
#include <signal.h>
#include <time.h>

#include "../check.h"
#include "cli.h"

#define SB MMSIM_SOURCE_DIR "/litmus/x86/SB.litmus"
#ifdef MMSIM_SANITIZED /* several times slower: still over a second */
#define TTY_ITERS "200000"
#else
#define TTY_ITERS "600000"
#endif

static void slurp(const char *name, char *buf, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cli_dir, name);
  FILE *f = fopen(path, "r");
  size_t k = f ? fread(buf, 1, n - 1, f) : 0;
  buf[k] = 0;
  if (f) fclose(f);
}

/* SIGINT to a litmus run far too long to finish: the test in flight is
 * stored with the iterations done, the next test is not started, the
 * message says what was kept, the exit status is 130.  stderr is a file,
 * so no progress line is printed. */
static void t_sigint_litmus(void) {
  cli_tmpdir();
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    if (chdir(cli_dir) != 0) _exit(99);
    int out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int er = open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(er, 2);
    execl(MMSIM_BIN, "mmsim", "litmus", SB, SB, "--model", "tso,pso", "--iterations",
          "1000000000", "--db", "i.db", (char *)NULL);
    _exit(98);
  }
  struct timespec ts = {1, 500000000};
  nanosleep(&ts, NULL);
  CHECK_EQ_I64(kill(pid, SIGINT), 0);
  int st;
  CHECK_EQ_I64(waitpid(pid, &st, 0), pid);
  CHECK(WIFEXITED(st));
  CHECK_EQ_I64(WEXITSTATUS(st), 130);
  char err[4096], out[1 << 16];
  slurp("err.txt", err, sizeof err);
  slurp("out.txt", out, sizeof out);
  CHECK_CONTAINS(err, "interrupted");
  CHECK_CONTAINS(err, "SB.litmus under tso stored with the");
  CHECK(strstr(err, "it/s") == NULL); /* not a terminal: no progress */
  CHECK_CONTAINS(out, "Stored SB as run 1");
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT count(*) FROM runs"), 1);
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
  long long n = cli_sql_int("i.db", "SELECT iterations FROM runs");
  CHECK(n > 0 && n < 1000000000);
  CHECK_EQ_I64(cli_sql_int("i.db", "SELECT sum(count) FROM outcomes"), n);
  char kept[64];
  snprintf(kept, sizeof kept, "the %lld of 1000000000", n);
  CHECK_CONTAINS(err, kept);
}

/* On a terminal (script(1) gives one), progress lines: iterations, rate,
 * time left. */
static void t_progress_tty(void) {
  cli_tmpdir();
  if (system("command -v script >/dev/null 2>&1") != 0) {
    printf("  (no script(1): progress on a terminal not checked)\n");
    return;
  }
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd %s && timeout 120 script -qec '%s litmus " SB " -n " TTY_ITERS " --db t.db' /dev/null "
           "> tty.txt 2>&1", cli_dir, MMSIM_BIN);
  int rc = system(cmd);
  CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
  static char tty[1 << 16];
  slurp("tty.txt", tty, sizeof tty);
  CHECK_CONTAINS(tty, "iterations, ");
  CHECK_CONTAINS(tty, " it/s");
  CHECK_CONTAINS(tty, "s left");
  CHECK_CONTAINS(tty, "Stored SB as run 1");
}

static const check_case cases[] = {{"sigint_litmus", t_sigint_litmus},
                                   {"progress_tty", t_progress_tty},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
