/* tests/cache/test_proto.c -- cache/proto_check.c: the shipped tables pass
 * every check (PC1..PC7), and a copy broken in one cell is caught with a
 * message naming the cell, so the checker is known to look.  Each broken
 * copy changes one cell of one table; the expected count is exact, so a
 * change that trips a second check is noticed too.
 */
#include <stdio.h>

#include "../check.h"
#include "cache/proto.h"

static void t_shipped(void) {
  char buf[4096];
  int n = cache_proto_check(buf, sizeof buf);
  if (n) fprintf(stderr, "%s", buf);
  CHECK_EQ_I64(n, 0);
  CHECK_EQ_STR(buf, "");
}

typedef struct breakage {
  const char *what;
  int dir;               /* which table: 0 l1, 1 dir */
  unsigned st, ev;       /* the cell replaced */
  proto_cell cell;       /* by this */
  int problems;          /* exactly this many found */
  const char *say, *say2; /* in the report */
  unsigned st2, ev2;     /* a second cell of the same table, if cell2.kind */
  proto_cell cell2;
} breakage;

static const breakage breakages[] = {
    {"PC1 next out of range", 0, L1_S, L1E_LOAD, {CELL_GO, 99, {L1A_HIT}}, 1, "S x LOAD",
     "out of range", 0, 0, {0}},
    {"PC2 unused action", 0, L1_E, L1E_REPL, GO(L1_EI_A, L1A_SEND_PUTS), 1, "SEND_PUTE",
     "used by no cell", 0, 0, {0}},
    {"PC3 unreachable", 1, DIR_EM, DIRE_REPL, {0, 0, {0}}, 2, "state MN_D is not reachable",
     "action RECALL", 0, 0, {0}},
    {"PC4 no way out", 0, L1_II_A, L1E_PUT_ACK, GO(L1_II_A), 1, "II_A: no GO cell leads out",
     "transient", 0, 0, {0}},
    {"PC4 never settles", 0, L1_SI_A, L1E_PUT_ACK, GO(L1_II_A), 2,
     "SI_A: no stable state is reachable", "II_A: no stable state is reachable", L1_II_A,
     L1E_PUT_ACK, GO(L1_SI_A)},
    {"PC5 settles without WAKE", 0, L1_IS_D, L1E_DATA_LAST, GO(L1_S, L1A_FILL), 1,
     "IS_D x DATA_LAST", "without WAKE", 0, 0, {0}},
    {"PC5 WAKE stable to stable", 0, L1_S, L1E_LOAD, GO(L1_S, L1A_HIT, L1A_WAKE), 1,
     "S x LOAD", "WAKE in a cell from stable S", 0, 0, {0}},
    {"PC5 WAKE transient to transient", 1, DIR_SN_A, DIRE_INV_ACK, GO(DIR_SN_A, DIRA_WAKE), 1,
     "SN_A x INV_ACK", "to transient SN_A", 0, 0, {0}},
    {"PC6 STALL in stable", 0, L1_M, L1E_FWD_GETS, STALL, 1, "STALL in stable state M", "l1:", 0, 0, {0}},
    {"PC7 QUEUE into stable", 1, DIR_NP, DIRE_GETM, GO(DIR_I, DIRA_MEM_READ, DIRA_QUEUE), 1,
     "NP x GETM", "QUEUE into stable state I", 0, 0, {0}},
};

static void t_broken(void) {
  static proto_cell l1[L1_NSTATES][L1_NEVENTS], dir[DIR_NSTATES][DIR_NEVENTS];
  char buf[4096];
  for (size_t i = 0; i < sizeof breakages / sizeof *breakages; i++) {
    const breakage *b = &breakages[i];
    memcpy(l1, l1_table, sizeof l1);
    memcpy(dir, dir_table, sizeof dir);
    if (b->dir) {
      dir[b->st][b->ev] = b->cell;
      if (b->cell2.kind) dir[b->st2][b->ev2] = b->cell2;
    } else {
      l1[b->st][b->ev] = b->cell;
      if (b->cell2.kind) l1[b->st2][b->ev2] = b->cell2;
    }
    int n = cache_proto_check_tables(&l1[0][0], &dir[0][0], buf, sizeof buf);
    printf("  %s -> %d: %s", b->what, n, buf);
    CHECK_EQ_I64(n, b->problems);
    CHECK_CONTAINS(buf, b->say);
    CHECK_CONTAINS(buf, b->say2);
  }
}

/* A short buffer cuts the report, never the count. */
static void t_short_buffer(void) {
  static proto_cell l1[L1_NSTATES][L1_NEVENTS];
  memcpy(l1, l1_table, sizeof l1);
  l1[L1_S][L1E_FWD_GETS] = (proto_cell)STALL;
  l1[L1_E][L1E_INV] = (proto_cell)STALL;
  char buf[16];
  memset(buf, 'x', sizeof buf);
  CHECK_EQ_I64(cache_proto_check_tables(&l1[0][0], &dir_table[0][0], buf, 10), 2);
  CHECK_EQ_U64(strlen(buf), 9);
  CHECK_EQ_U64((unsigned char)buf[10], 'x');
  CHECK_EQ_I64(cache_proto_check_tables(&l1[0][0], &dir_table[0][0], NULL, 0), 2);
}

static const check_case cases[] = {
    {"shipped", t_shipped}, {"broken", t_broken}, {"short_buffer", t_short_buffer}, {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
