/* tests/cpu/test_sb.c -- cpu/sb.c: FIFO order and forwarding (SB2). */
#include "../check.h"
#include "cpu/sb.h"

static void t_fifo(void) {
  sb b;
  CHECK(sb_init(&b, 2));
  CHECK(sb_empty(&b));
  sb_push(&b, 0x40, 4, 1, 0);
  sb_push(&b, 0x80, 4, 2, 0);
  CHECK(sb_full(&b));
  CHECK_EQ_U64(sb_at(&b, 0)->value, 1);
  sb_pop(&b);
  sb_push(&b, 0xc0, 4, 3, 0); /* wraps around the ring */
  CHECK_EQ_U64(sb_at(&b, 0)->value, 2);
  CHECK_EQ_U64(sb_at(&b, 1)->value, 3);
  CHECK(sb_check(&b));
  sb_free(&b);
}

/* SB2: the youngest covering store wins; partial overlap is reported. */
static void t_forward(void) {
  sb b;
  uint64_t v = 0;
  CHECK(sb_init(&b, 8));
  sb_push(&b, 0x40, 4, 1, 0);
  sb_push(&b, 0x40, 4, 2, 0);
  sb_push(&b, 0x48, 8, 0x1122334455667788ULL, 0);
  CHECK_EQ_I64(sb_forward(&b, 0x40, 4, &v), SB_HIT);
  CHECK_EQ_U64(v, 2);
  CHECK_EQ_I64(sb_forward(&b, 0x4c, 4, &v), SB_HIT); /* upper half of the 8-byte store */
  CHECK_EQ_U64(v, 0x11223344);
  CHECK_EQ_I64(sb_forward(&b, 0x49, 1, &v), SB_HIT);
  CHECK_EQ_U64(v, 0x77);
  CHECK_EQ_I64(sb_forward(&b, 0x44, 8, &v), SB_PARTIAL); /* straddles two stores */
  CHECK_EQ_I64(sb_forward(&b, 0x80, 4, &v), SB_MISS);
  char buf[256];
  CHECK_CONTAINS(sb_str(&b, buf, sizeof buf), "sb[3/8]");
  sb_free(&b);
}

static const check_case cases[] = {{"fifo", t_fifo}, {"forward", t_forward}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
