/* tests/sim/test_eventq.c -- sim/eventq.c and sim/engine.c: order and time. */
#include "../check.h"
#include "sim/engine.h"
#include "sim/eventq.h"

static uint64_t trace[64];
static int ntrace;

static void record(sim_engine *sim, void *ctx, uint64_t arg) {
  (void)ctx;
  trace[ntrace++] = arg * 1000 + sim_now(sim);
}

/* Q2/E2: same-cycle events run in scheduling order, earlier cycles first. */
static void t_order(void) {
  sim_engine sim;
  sim_engine_init(&sim);
  ntrace = 0;
  sim_schedule(&sim, 5, record, NULL, 1, "a");
  sim_schedule(&sim, 3, record, NULL, 2, "b");
  sim_schedule(&sim, 5, record, NULL, 3, "c");
  sim_schedule(&sim, 0, record, NULL, 4, "d");
  sim_schedule(&sim, 5, record, NULL, 5, "e");
  CHECK(eventq_check(&sim.q));
  CHECK_EQ_U64(sim_run(&sim, UINT64_MAX), 0);
  CHECK_EQ_I64(ntrace, 5);
  CHECK_EQ_U64(trace[0], 4000);
  CHECK_EQ_U64(trace[1], 2003);
  CHECK_EQ_U64(trace[2], 1005);
  CHECK_EQ_U64(trace[3], 3005);
  CHECK_EQ_U64(trace[4], 5005);
  sim_engine_free(&sim);
}

static void chain(sim_engine *sim, void *ctx, uint64_t arg) {
  (void)ctx;
  trace[ntrace++] = sim_now(sim);
  if (arg) sim_schedule(sim, 10, chain, NULL, arg - 1, "chain");
}

/* sim_run stops at `until` and leaves later events queued. */
static void t_until(void) {
  sim_engine sim;
  sim_engine_init(&sim);
  ntrace = 0;
  sim_schedule(&sim, 0, chain, NULL, 5, "chain");
  CHECK_EQ_U64(sim_run(&sim, 25), 1);
  CHECK_EQ_I64(ntrace, 3);
  CHECK_EQ_U64(sim_now(&sim), 20);
  sim_engine_reset(&sim);
  CHECK_EQ_U64(sim_now(&sim), 0);
  CHECK_EQ_U64(eventq_len(&sim.q), 0);
  sim_engine_free(&sim);
}

/* Heap order holds over many random pushes and pops. */
static void t_heap_random(void) {
  sim_eventq q;
  eventq_init(&q);
  uint64_t x = 12345, last_cycle = 0, last_seq = 0;
  for (int i = 0; i < 5000; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    /* spread across the wheel, the horizon and far beyond it */
    eventq_push(&q, (x >> 33) % (i % 3 ? 100 : 5 * EVENTQ_WHEEL), NULL, NULL, 0, "r");
  }
  CHECK(eventq_check(&q));
  sim_event ev;
  int n = 0;
  while (eventq_pop(&q, UINT64_MAX, &ev)) {
    CHECK(ev.cycle > last_cycle || (ev.cycle == last_cycle && (n == 0 || ev.seq > last_seq)));
    last_cycle = ev.cycle;
    last_seq = ev.seq;
    n++;
  }
  CHECK_EQ_I64(n, 5000);
  eventq_free(&q);
}

/* Q1/Q2: an event scheduled beyond the wheel's horizon still runs before a
 * same-cycle event scheduled later, once time has come close to both. */
static void t_far_then_near(void) {
  sim_eventq q;
  eventq_init(&q);
  uint64_t far = 3 * EVENTQ_WHEEL + 5;
  eventq_push(&q, far, NULL, NULL, 1, "far");     /* to the overflow heap */
  eventq_push(&q, far - 10, NULL, NULL, 2, "hop"); /* also far */
  sim_event ev;
  CHECK(eventq_pop(&q, UINT64_MAX, &ev));
  CHECK_EQ_U64(ev.arg, 2);                         /* cursor now near `far` */
  eventq_push(&q, far, NULL, NULL, 3, "near");     /* straight into the wheel */
  eventq_push(&q, far, NULL, NULL, 4, "near2");
  CHECK(eventq_check(&q));
  for (uint64_t want = 1; want <= 3; want += 1) {
    CHECK(eventq_pop(&q, UINT64_MAX, &ev));
    CHECK_EQ_U64(ev.arg, want == 1 ? 1 : want + 1);
    CHECK_EQ_U64(ev.cycle, far);
  }
  CHECK(!eventq_pop(&q, UINT64_MAX, &ev));
  eventq_free(&q);
}

static const check_case cases[] = {{"order", t_order},
                                   {"until", t_until},
                                   {"heap_random", t_heap_random},
                                   {"far_then_near", t_far_then_near},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
