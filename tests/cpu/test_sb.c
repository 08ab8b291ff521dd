/* tests/cpu/test_sb.c -- cpu/sb.c: retirement in order, out-of-order
 * performance (pso), SB1 (same line in order), SB2 (forwarding), SB3
 * (fence epochs). */
#include "../check.h"
#include "cpu/sb.h"

/* push with line = addr rounded to 64 bytes, epoch e */
static void push(sb *b, uint64_t addr, unsigned size, uint64_t v, uint32_t e) {
  sb_push(b, addr, size, v, addr & ~(uint64_t)63, 0, e);
}

static void t_fifo(void) {
  sb b;
  CHECK(sb_init(&b, 2));
  CHECK(sb_empty(&b));
  push(&b, 0x40, 4, 1, 0);
  push(&b, 0x80, 4, 2, 0);
  CHECK(sb_full(&b));
  CHECK_EQ_U64(sb_at(&b, 0)->value, 1);
  CHECK(!sb_performed(&b, 0)); /* the oldest overtook nothing */
  push(&b, 0xc0, 4, 3, 0);     /* wraps around the ring */
  CHECK_EQ_U64(sb_at(&b, 0)->value, 2);
  CHECK_EQ_U64(sb_at(&b, 1)->value, 3);
  CHECK(sb_check(&b));
  sb_free(&b);
}

/* pso: a younger entry performs first; it stays (and blocks nothing) until
 * the older one performs, then both retire; the younger was a reorder. */
static void t_out_of_order(void) {
  sb b;
  CHECK(sb_init(&b, 4));
  push(&b, 0x40, 8, 1, 0);
  push(&b, 0x80, 8, 2, 0);
  CHECK(sb_may_send(&b, 1)); /* another line, same epoch */
  sb_at(&b, 0)->state = SB_IN_FLIGHT;
  sb_at(&b, 1)->state = SB_IN_FLIGHT;
  CHECK(sb_performed(&b, 1)); /* performed before an older store: store_store */
  CHECK_EQ_U64(sb_len(&b), 2);
  CHECK_EQ_U64(b.pending, 1);
  CHECK(!sb_empty(&b));
  uint64_t v = 0;
  CHECK_EQ_I64(sb_forward(&b, 0x80, 8, &v), SB_MISS); /* SB2: performed, no forward */
  CHECK(!sb_performed(&b, 0));
  CHECK_EQ_U64(sb_len(&b), 0);
  CHECK(sb_empty(&b));
  CHECK(sb_check(&b));
  sb_free(&b);
}

/* SB1: an entry waits for an older entry to its line; SB3: for every older
 * entry of an older epoch, whatever its line. */
static void t_may_send(void) {
  sb b;
  CHECK(sb_init(&b, 8));
  push(&b, 0x40, 4, 1, 0);
  push(&b, 0x44, 4, 2, 0); /* same line as entry 0 */
  push(&b, 0x80, 4, 3, 0);
  push(&b, 0xc0, 4, 4, 1); /* after a store fence */
  CHECK(sb_may_send(&b, 0));
  CHECK(!sb_may_send(&b, 1));
  CHECK(sb_may_send(&b, 2));
  CHECK(!sb_may_send(&b, 3));
  sb_at(&b, 0)->state = SB_IN_FLIGHT;
  sb_performed(&b, 0);
  CHECK(sb_may_send(&b, 0)); /* was entry 1: its line is free now */
  CHECK(!sb_may_send(&b, 2)); /* the fenced one still waits for two */
  sb_free(&b);
}

/* SB2: the youngest covering store wins; partial overlap is reported. */
static void t_forward(void) {
  sb b;
  uint64_t v = 0;
  CHECK(sb_init(&b, 8));
  push(&b, 0x40, 4, 1, 0);
  push(&b, 0x40, 4, 2, 0);
  push(&b, 0x48, 8, 0x1122334455667788ULL, 0);
  CHECK_EQ_I64(sb_forward(&b, 0x40, 4, &v), SB_HIT);
  CHECK_EQ_U64(v, 2);
  CHECK_EQ_I64(sb_forward(&b, 0x4c, 4, &v), SB_HIT); /* upper half of the 8-byte store */
  CHECK_EQ_U64(v, 0x11223344);
  CHECK_EQ_I64(sb_forward(&b, 0x49, 1, &v), SB_HIT);
  CHECK_EQ_U64(v, 0x77);
  CHECK_EQ_I64(sb_forward(&b, 0x44, 8, &v), SB_PARTIAL); /* straddles two stores */
  CHECK_EQ_I64(sb_forward(&b, 0x80, 4, &v), SB_MISS);
  char buf[256];
  CHECK_CONTAINS(sb_str(&b, buf, sizeof buf), "sb[3/8, 3 pending]");
  sb_free(&b);
}

static const check_case cases[] = {{"fifo", t_fifo},
                                   {"out_of_order", t_out_of_order},
                                   {"may_send", t_may_send},
                                   {"forward", t_forward},
                                   {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
