/* tests/cpu/test_thread.c -- cpu/thread.c: coroutines yield, resume, restart. */
#include "../check.h"
#include "cpu/thread.h"

typedef struct ctx {
  cpu_thread *t;
  int steps;
} ctx;

static void body(void *arg) {
  ctx *c = arg;
  volatile char big[4096]; /* a real frame on the coroutine's stack */
  for (int i = 0; i < 3; i++) {
    big[i * 100] = (char)i;
    c->steps += 1 + big[i * 100] * 0;
    cpu_thread_yield(c->t);
  }
}

static void t_yield_resume(void) {
  ctx c = {cpu_thread_new(64 * 1024), 0};
  CHECK(c.t);
  cpu_thread_start(c.t, body, &c);
  CHECK(!cpu_thread_resume(c.t));
  CHECK_EQ_I64(c.steps, 1);
  CHECK(!cpu_thread_resume(c.t));
  CHECK(!cpu_thread_resume(c.t));
  CHECK_EQ_I64(c.steps, 3);
  CHECK(cpu_thread_resume(c.t)); /* returns from body */
  CHECK(cpu_thread_done(c.t));
  /* T2: restart on the same stack, many times (once per iteration). */
  for (int k = 0; k < 1000; k++) {
    cpu_thread_start(c.t, body, &c);
    while (!cpu_thread_resume(c.t)) {
    }
  }
  CHECK_EQ_I64(c.steps, 3 + 3000);
  cpu_thread_free(c.t);
}

/* Two coroutines interleave under one scheduler, as cores do. */
static void t_interleave(void) {
  ctx a = {cpu_thread_new(64 * 1024), 0}, b = {cpu_thread_new(64 * 1024), 100};
  cpu_thread_start(a.t, body, &a);
  cpu_thread_start(b.t, body, &b);
  for (int i = 0; i < 3; i++) {
    CHECK(!cpu_thread_resume(a.t));
    CHECK(!cpu_thread_resume(b.t));
    CHECK_EQ_I64(a.steps, i + 1);
    CHECK_EQ_I64(b.steps, 100 + i + 1);
  }
  CHECK(cpu_thread_resume(a.t) && cpu_thread_resume(b.t));
  cpu_thread_free(a.t);
  cpu_thread_free(b.t);
}

static const check_case cases[] = {
    {"yield_resume", t_yield_resume}, {"interleave", t_interleave}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
