/* tests/workloads/test_litmus_parse.c -- the litmus parser (litmus_lex.c,
 * litmus_parse.c, litmus_x86.c, litmus_c.c) through the public API: shapes,
 * conditions, expectations, errors with their positions, refusals, and
 * every shipped file under litmus/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../workloads/litmus.h"
#include "../../workloads/litmus_int.h" /* litmus__check: the deep checker of LI1-LI5 */
#include "../check.h"
#include "../litmus_files.h"

static litmus_test *parse_ok(const char *text) {
  litmus_test *t = NULL;
  sim_err err = {0};
  int rc = litmus_parse_string("t.litmus", text, &t, &err);
  if (rc) fprintf(stderr, "  unexpected error: %s\n", err.msg);
  CHECK_EQ_I64(rc, 0);
  CHECK(t != NULL);
  CHECK(litmus__check(t));
  return t;
}

/* Parsing must fail with `code` and a message containing `want`. */
static void parse_fails(const char *text, int code, const char *want) {
  litmus_test *t = (litmus_test *)1;
  sim_err err = {0};
  int rc = litmus_parse_string("t.litmus", text, &t, &err);
  if (rc != code) fprintf(stderr, "  text:\n%s\n  message: %s\n", text, err.msg);
  CHECK_EQ_STR(sim_code_name(rc), sim_code_name(code));
  CHECK(t == NULL);
  CHECK_EQ_I64(err.code, code);
  CHECK_CONTAINS(err.msg, want);
}

static const char *const x86_sb =
    "X86 SB\n"
    "\"Fre PodWR Fre PodWR\"\n"
    "(*\n"
    " * Result: sc=Never tso=Sometimes pso=Sometimes weak=Sometimes\n"
    " * (* nested comments are fine *)\n"
    " *)\n"
    "{ x=0; y=0; }\n"
    " P0          | P1          ;\n"
    " MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\n"
    "exists (0:EAX=0 /\\ 1:EAX=0)\n";

static void t_x86_sb(void) {
  litmus_test *t = parse_ok(x86_sb);
  CHECK_EQ_STR(litmus_name(t), "SB");
  CHECK_EQ_STR(litmus_arch(t), "X86");
  CHECK_EQ_STR(litmus_path(t), "t.litmus");
  CHECK_EQ_U64(litmus_nthreads(t), 2);
  CHECK_EQ_U64(litmus_nlocs(t), 2);
  CHECK_EQ_STR(litmus_loc_name(t, 0), "x");
  CHECK_EQ_STR(litmus_loc_name(t, 1), "y");
  CHECK_EQ_U64(litmus_loc_size(t, 0), 4);
  CHECK_EQ_U64(litmus_loc_init(t, 1), 0);
  CHECK_EQ_U64(litmus_nregs(t, 0), 1);
  CHECK_EQ_U64(litmus_nregs(t, 1), 1);
  CHECK_EQ_STR(litmus_cond_str(t), "exists (0:EAX=0 /\\ 1:EAX=0)");
  CHECK_EQ_I64(litmus_quantifier(t), LITMUS_EXISTS);
  CHECK_EQ_U64(litmus_nobs(t), 2);
  CHECK_EQ_I64(litmus_expected(t, "sc"), LITMUS_EXPECT_NEVER);
  CHECK_EQ_I64(litmus_expected(t, "tso"), LITMUS_EXPECT_SOMETIMES);
  CHECK_EQ_I64(litmus_expected(t, "pso"), LITMUS_EXPECT_SOMETIMES);
  CHECK_EQ_I64(litmus_expected(t, "weak"), LITMUS_EXPECT_SOMETIMES);
  CHECK_EQ_I64(litmus_expected(t, "arm"), LITMUS_EXPECT_UNKNOWN);
  int64_t vals[2] = {0, 1};
  char buf[64];
  CHECK_EQ_U64(litmus_outcome_format(t, vals, buf, sizeof buf), strlen("0:EAX=0; 1:EAX=1;"));
  CHECK_EQ_STR(buf, "0:EAX=0; 1:EAX=1;");
  litmus_free(t);
}

static void t_x86_init_forms(void) {
  litmus_test *t = parse_ok("X86 init\n"
                            "Cycle=Rfe PodRR\nGenerator=diy7 (version 7.51)\n"
                            "{ x=1; [y]=-1; uint64_t z=0x100000001; int8_t w = 300; 1:EBX=7; }\n"
                            " P0          | P1          ;\n"
                            " MOV EAX,[v] | MOV ECX,[x] ;\n"
                            "exists (y=-1 /\\ 0:EAX=0)\n");
  CHECK_EQ_U64(litmus_nlocs(t), 5);
  CHECK_EQ_STR(litmus_loc_name(t, 0), "x");
  CHECK_EQ_U64(litmus_loc_init(t, 0), 1);
  CHECK_EQ_U64(litmus_loc_size(t, 1), 4);
  CHECK_EQ_U64(litmus_loc_init(t, 1), 0xffffffffu); /* truncated to 4 bytes */
  CHECK_EQ_STR(litmus_loc_name(t, 2), "z");
  CHECK_EQ_U64(litmus_loc_size(t, 2), 8);
  CHECK_EQ_U64(litmus_loc_init(t, 2), 0x100000001ull);
  CHECK_EQ_U64(litmus_loc_size(t, 3), 1);
  CHECK_EQ_U64(litmus_loc_init(t, 3), 300 & 0xff);
  CHECK_EQ_STR(litmus_loc_name(t, 4), "v"); /* implicitly declared by the code */
  CHECK_EQ_U64(litmus_loc_size(t, 4), 4);
  CHECK_EQ_U64(litmus_nregs(t, 1), 2); /* ECX from the code, EBX from the init */
  CHECK_EQ_STR(litmus_cond_str(t), "exists (y=-1 /\\ 0:EAX=0)");
  litmus_free(t);
}

static void t_x86_instructions(void) {
  litmus_test *t = parse_ok("X86 all\n{ }\n"
                            " P0                | P1                   ;\n"
                            " MOV [x],$1        | mov eax,[x]          ;\n"
                            " MOV [x],EAX       | MOV EBX,EAX          ;\n"
                            " MOV EAX,$-2       | ADD EBX,$3           ;\n"
                            " MFENCE            | SUB EBX,EAX          ;\n"
                            " SFENCE            | AND EBX,$7           ;\n"
                            " LFENCE            | OR EBX,$8            ;\n"
                            " XCHG [x],EAX      | XOR EBX,EBX          ;\n"
                            " XCHG EBX,[y]      | INC ECX              ;\n"
                            " LOCK ADD [x],$2   | DEC EDX              ;\n"
                            " LOCK INC [x]      | LOCK DEC [y]         ;\n"
                            " LOCK XADD [x],ECX | LOCK SUB [y],EAX     ;\n"
                            " LOCK CMPXCHG [y],EDX | LOCK XCHG [y],ESI ;\n"
                            "                   | LOCK OR [x],$1       ;\n"
                            "exists (0:EAX=0 /\\ 1:EDI=0)\n");
  CHECK_EQ_U64(litmus_nregs(t, 0), 4); /* EAX EBX ECX EDX */
  CHECK_EQ_U64(litmus_nregs(t, 1), 6); /* EAX EBX ECX EDX ESI, EDI from the condition */
  CHECK_EQ_STR(litmus_cond_str(t), "exists (0:EAX=0 /\\ 1:EDI=0)");
  litmus_free(t);
}

static void t_x86_one_thread(void) {
  litmus_test *t = parse_ok("X86 CoWW\n{x=0}\n P0 ;\n MOV [x],$1 ;\n MOV [x],$2 ;\n~exists (x=1)");
  CHECK_EQ_U64(litmus_nthreads(t), 1);
  CHECK_EQ_I64(litmus_quantifier(t), LITMUS_NOT_EXISTS);
  CHECK_EQ_STR(litmus_cond_str(t), "~exists (x=1)");
  litmus_free(t);
}

static const char *const c_lkmm = /* tools/memory-model/litmus-tests/SB+fencembonceonces.litmus */
    "C SB+fencembonceonces\n\n"
    "(*\n * Result: Never\n *\n * This litmus test demonstrates that full memory barriers suffice.\n *)\n\n"
    "{}\n\n"
    "P0(int *x, int *y)\n{\n\tint r0;\n\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*y);\n}\n\n"
    "P1(int *x, int *y)\n{\n\tint r0;\n\n\tWRITE_ONCE(*y, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*x);\n}\n\n"
    "exists (0:r0=0 /\\ 1:r0=0)\n";

static void t_c_lkmm(void) {
  litmus_test *t = parse_ok(c_lkmm);
  CHECK_EQ_STR(litmus_name(t), "SB+fencembonceonces");
  CHECK_EQ_STR(litmus_arch(t), "C");
  CHECK_EQ_U64(litmus_nthreads(t), 2);
  CHECK_EQ_U64(litmus_nlocs(t), 2);
  CHECK_EQ_U64(litmus_nregs(t, 0), 1); /* r0, and no hidden register for `r0 = READ_ONCE(*y)` */
  /* The LKMM's plain "Result: Never" says nothing per model. */
  CHECK_EQ_I64(litmus_expected(t, "sc"), LITMUS_EXPECT_UNKNOWN);
  CHECK_EQ_I64(litmus_expected(t, "weak"), LITMUS_EXPECT_UNKNOWN);
  CHECK_EQ_STR(litmus_cond_str(t), "exists (0:r0=0 /\\ 1:r0=0)");
  int64_t vals[2] = {0, -1};
  char buf[64];
  litmus_outcome_format(t, vals, buf, sizeof buf);
  CHECK_EQ_STR(buf, "0:r0=0; 1:r0=-1;");
  litmus_free(t);
}

static void t_c_init_forms(void) {
  litmus_test *t = parse_ok("C init\n{ int x; unsigned long y = 5; atomic_t z = ATOMIC_INIT(3); w=2; }\n"
                            "P0(int *x, long *y, atomic_t *z, u64 *w, u8 *v) { }\n"
                            "exists (x=0)\n");
  CHECK_EQ_U64(litmus_nlocs(t), 5);
  CHECK_EQ_U64(litmus_loc_size(t, 0), 4);
  CHECK_EQ_U64(litmus_loc_size(t, 1), 8);
  CHECK_EQ_U64(litmus_loc_init(t, 1), 5);
  CHECK_EQ_U64(litmus_loc_size(t, 2), 4);
  CHECK_EQ_U64(litmus_loc_init(t, 2), 3);
  CHECK_EQ_U64(litmus_loc_size(t, 3), 8); /* untyped in the init, typed by the parameter */
  CHECK_EQ_U64(litmus_loc_init(t, 3), 2);
  CHECK_EQ_STR(litmus_loc_name(t, 4), "v");
  CHECK_EQ_U64(litmus_loc_size(t, 4), 1);
  CHECK_EQ_U64(litmus_nregs(t, 0), 0);
  litmus_free(t);
}

static void t_c_statements(void) {
  litmus_test *t = parse_ok(
      "C stmts\n{}\n"
      "void P0(int *x, atomic_t *a) {\n"
      "  int r0 = READ_ONCE(*x), r1; long r2; /* a C comment */\n"
      "  // another (* not herd's *)\n"
      "  r1 = (r0 + 1) * 2 - -3 & 7 | 8 ^ 1;\n"
      "  if (r0 == 1 && r1 != 2 || !r0) { WRITE_ONCE(*x, r1); } else if (r0 < 0) smp_wmb(); else { ; }\n"
      "  r2 = smp_load_acquire(x); smp_store_release(x, r2 >= 1); smp_rmb(); smp_mb(); barrier();\n"
      "  r0 = xchg(x, 1); r0 = xchg_relaxed(x, 2); r0 = xchg_acquire(x, 3); xchg_release(x, 4);\n"
      "  atomic_inc(a); atomic_dec(a); atomic_add(r0, a); atomic_sub(2, a); r1 = atomic_read(a);\n"
      "  atomic_set(a, 0); r1 = atomic_inc_return(a); r1 = atomic_fetch_add_relaxed(3, a);\n"
      "  r1 = cmpxchg(x, 0, 1) + atomic_cmpxchg(a, r1, 2); READ_ONCE(*x);\n"
      "  smp_mb__before_atomic(); smp_mb__after_atomic(); atomic_set_release(a, 1); r1 = atomic_read_acquire(a);\n"
      "}\n"
      "forall (0:r0=0 \\/ 0:r2=1)\n");
  CHECK_EQ_U64(litmus_nregs(t, 0), 5); /* r0 r1 r2 and two hidden ones for the cmpxchg sum */
  CHECK_EQ_I64(litmus_quantifier(t), LITMUS_FORALL);
  CHECK_EQ_STR(litmus_cond_str(t), "forall (0:r0=0 \\/ 0:r2=1)");
  litmus_free(t);
}

/* herd7 takes C comments anywhere in a C-dialect file, and the LKMM
 * catalogue has them between the init block and P0, between threads and
 * after the condition; X86 files keep only herd's. */
static void t_c_comments_between(void) {
  litmus_test *t = parse_ok("C cmt\n{ x=1; // init\n }\n/* before P0 */\n"
                            "P0(int *x) { WRITE_ONCE(*x, 2); } // after P0\n"
                            "// between\nP1(int *x) { int r0; r0 = READ_ONCE(*x); }\n"
                            "/* before the condition */ exists (1:r0=2 /\\ x=2) // after\n");
  CHECK_EQ_U64(litmus_nthreads(t), 2);
  CHECK_EQ_STR(litmus_cond_str(t), "exists (1:r0=2 /\\ x=2)");
  litmus_free(t);
  parse_fails("X86 t\n{}\n// no\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", SIM_ESYNTAX, "t.litmus:3:1:");
}

static void t_result_forms(void) {
  litmus_test *t = parse_ok("X86 R\n(* Result: sc=Never weak=Sometimes *)\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n");
  CHECK_EQ_I64(litmus_expected(t, "sc"), LITMUS_EXPECT_NEVER);
  CHECK_EQ_I64(litmus_expected(t, "tso"), LITMUS_EXPECT_UNKNOWN);
  CHECK_EQ_I64(litmus_expected(t, "pso"), LITMUS_EXPECT_UNKNOWN);
  CHECK_EQ_I64(litmus_expected(t, "weak"), LITMUS_EXPECT_SOMETIMES);
  litmus_free(t);
  t = parse_ok("C R\n(*\n * Result: sc=Always tso=Always pso=Always weak=Always\n *)\n{}\nP0(int *x) { }\nforall (x=0)\n");
  for (int i = 0; i < 4; i++)
    CHECK_EQ_I64(litmus_expected(t, (const char *[]){"sc", "tso", "pso", "weak"}[i]), LITMUS_EXPECT_ALWAYS);
  litmus_free(t);
  t = parse_ok("X86 none\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n(* Result: sc=Never is too late to count *)\n");
  CHECK_EQ_I64(litmus_expected(t, "sc"), LITMUS_EXPECT_UNKNOWN);
  litmus_free(t);
  CHECK_EQ_STR(litmus_expect_name(LITMUS_EXPECT_NEVER), "Never");
  CHECK_EQ_STR(litmus_expect_name(LITMUS_EXPECT_SOMETIMES), "Sometimes");
  CHECK_EQ_STR(litmus_expect_name(LITMUS_EXPECT_ALWAYS), "Always");
  CHECK_EQ_STR(litmus_expect_name(LITMUS_EXPECT_UNKNOWN), "Unknown");
}

#define BODY "{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n"

static void t_result_errors(void) {
  parse_fails("X86 t\n(*\n * Result: sc=Never power=Sometimes\n *)\n" BODY, SIM_ESYNTAX,
              "t.litmus:3:21: unknown model 'power' (expected sc, tso, pso, weak or arm)");
  parse_fails("X86 t\n(* Result: sc=Maybe *)\n" BODY, SIM_ESYNTAX,
              "t.litmus:2:15: expected Never, Sometimes or Always but found 'Maybe'");
  parse_fails("X86 t\n(* Result: sc=Never sc=Never *)\n" BODY, SIM_ESYNTAX, "model 'sc' appears twice");
  parse_fails("X86 t\n(* Result: sc=Never tso *)\n" BODY, SIM_ESYNTAX,
              "t.litmus:2:21: expected model=Never|Sometimes|Always but found 'tso'");
  parse_fails("X86 t\n(* Result: sc=Never *)\n(* Result: tso=Never *)\n" BODY, SIM_ESYNTAX,
              "t.litmus:3:4: a second 'Result:' line");
  parse_fails("X86 t\n(* Result: *)\n" BODY, SIM_ESYNTAX, "after 'Result:'");
}

static void t_cond_forms(void) {
  static const struct {
    const char *in, *out;
    litmus_quant q;
  } cases[] = {
      {"exists (0:EAX=0 /\\ (0:EBX=0 \\/ x=1))", "exists (0:EAX=0 /\\ (0:EBX=0 \\/ x=1))", LITMUS_EXISTS},
      {"exists 0:EAX=0 /\\ 0:EBX=0 \\/ x=1", "exists (0:EAX=0 /\\ 0:EBX=0 \\/ x=1)", LITMUS_EXISTS},
      {"exists 0:EAX=0 /\\ x=1;", "exists (0:EAX=0 /\\ x=1)", LITMUS_EXISTS}, /* herd7 takes the ';' */
      {"~exists ((0:EAX=0))", "~exists (0:EAX=0)", LITMUS_NOT_EXISTS},
      {"~ exists ([x]=0x10)", "~exists (x=16)", LITMUS_NOT_EXISTS},
      {"forall (~(x=1 /\\ y=1) \\/ true)", "forall (~(x=1 /\\ y=1) \\/ true)", LITMUS_FORALL},
      {"forall (~x=1 /\\ ~false)", "forall (~x=1 /\\ ~false)", LITMUS_FORALL},
      {"exists (x=1 => y=1 => 0:EAX != 2)", "exists (x=1 => y=1 => 0:EAX!=2)", LITMUS_EXISTS},
      {"exists ((x=1 => y=1) => x=4294967295)", "exists ((x=1 => y=1) => x=-1)", LITMUS_EXISTS},
      {"exists (x=1 \\/ y=1 /\\ (x=2 \\/ y=2))", "exists (x=1 \\/ y=1 /\\ (x=2 \\/ y=2))", LITMUS_EXISTS},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "X86 c\n{}\n P0 ;\n MOV EAX,[x] ;\n MOV EBX,[y] ;\n%s\n", cases[i].in);
    litmus_test *t = parse_ok(text);
    CHECK_EQ_STR(litmus_cond_str(t), cases[i].out);
    CHECK_EQ_I64(litmus_quantifier(t), cases[i].q);
    litmus_free(t);
  }
}

static void t_locations(void) {
  litmus_test *t = parse_ok("X86 L\n{}\n P0          | P1 ;\n MOV EAX,[x] | MOV [y],$1 ;\n"
                            "locations [y; 0:EAX; z;]\nexists (0:EAX=1)\n");
  CHECK_EQ_U64(litmus_nobs(t), 3); /* condition first, then the new ones of the locations line */
  int64_t vals[3] = {1, 2, -3};
  char buf[64];
  litmus_outcome_format(t, vals, buf, sizeof buf);
  CHECK_EQ_STR(buf, "0:EAX=1; y=2; z=-3;");
  litmus_free(t);
  t = parse_ok("C L\n{}\nP0(int *x) { int r0; r0 = READ_ONCE(*x); }\nexists (x=0 /\\ 0:r0=0)\nlocations [x]\n");
  CHECK_EQ_U64(litmus_nobs(t), 2);
  litmus_free(t);
  /* LKMM's layout: the line before the condition, no trailing ';', a comment after. */
  t = parse_ok("C L\n{}\nP0(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); }\n"
               "locations [0:r1; y] (* print \"these\" too *)\nexists (0:r0=0)\n");
  CHECK_EQ_U64(litmus_nobs(t), 3);
  int64_t v3[3] = {0, 1, 2};
  litmus_outcome_format(t, v3, buf, sizeof buf);
  CHECK_EQ_STR(buf, "0:r0=0; 0:r1=1; y=2;");
  CHECK_EQ_STR(litmus_cond_str(t), "exists (0:r0=0)");
  litmus_free(t);
}

static void t_syntax_errors(void) {
  static const struct {
    const char *text, *want;
  } cases[] = {
      {"X86 t\n{}\n P0 | P1 ;\n MOV [x],$1 | MOV [y],$1\nexists (x=1)\n",
       "t.litmus:5:1: expected '|' or ';' but found 'exists'"},
      {"X86 t\n(* never closed\n{}\n", "t.litmus:2:1: expected '{' (the initial state) but found an unterminated comment"},
      {"X86\n{}\n", "t.litmus:1:4: expected a test name after 'X86'"},
      {"C t\n{}\nP0(int *x) { rcu_read_unlock(); }\nexists (x=1)\n",
       "t.litmus:3:14: rcu_read_unlock() without rcu_read_lock() in P0"},
      {"C t\n{}\nP0(int *x) { rcu_read_lock(); }\nexists (x=1)\n", "t.litmus:3:1: P0 ends inside rcu_read_lock()"},
      {"C t\n{}\nP0(int *x) { rcu_read_lock(); synchronize_rcu(); rcu_read_unlock(); }\nexists (x=1)\n",
       "t.litmus:3:31: synchronize_rcu() inside a read-side critical section waits for itself"},
      {"X86 t extra\n{}\n", "t.litmus:1:7: expected the end of the line after the test name"},
      {"AArch64 t\n{}\n P0 ;\n B L1 ;\n", "t.litmus:4:4: P0 has no label 'L1'"},
      {"AArch64 t\n{}\n P0 ;\n L1: ;\n L1: ;\n", "t.litmus:5:2: label 'L1' defined twice"},
      {"AArch64 t\n{}\n P0 ;\n LDR W0,[EAX] ;\n", "t.litmus:4:10: expected a register (X0-X30 or W0-W30) but found 'EAX'"},
      {"AArch64 t\n{}\n P0 ;\n DMB FOO ;\n", "t.litmus:4:6: unknown barrier option 'FOO'"},
      {"AArch64 t\n{}\n P0 ;\n B.EQ L0 ;\n L0: ;\n", "t.litmus:4:4: a condition with no CMP before it"},
      {"AArch64 t\n{ 0:EAX=1; }\n P0 ;\n MOV W0,#1 ;\n", "t.litmus:2:5: 'EAX' is not an AArch64 register (X0-X30, W0-W30)"},
      {"X86 t\n{ x=0 y=0; }\n", "t.litmus:2:7: expected ';' or '}' but found 'y'"},
      {"X86 t\n{ x= ; }\n", "t.litmus:2:6: expected an integer but found ';'"},
      {"X86 t\n{ x=99999999999999999999; }\n", "found a number too large for 64 bits"},
      {"X86 t\n{}\n P1 | P0 ;\n", "t.litmus:3:2: expected 'P0' (a thread name) but found 'P1'"},
      {"X86 t\n{}\n P0 | P1 ;\n MOV [x],$1 ;\nexists (x=1)\n", "t.litmus:4:13: this row has 1 cells but the test has 2 threads"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 | MOV [y],$1 ;\nexists (x=1)\n", "t.litmus:4:15: this row has more cells than the 1 threads"},
      {"X86 t\n{}\n P0 ;\n MOV [x] ;\nexists (x=1)\n", "t.litmus:4:10: expected ',' but found ';'"},
      {"X86 t\n{}\n P0 ;\n MOV EAX,x ;\nexists (x=1)\n", "t.litmus:4:10: expected a register"},
      {"X86 t\n{}\n P0 ;\n MOV [x],[y] ;\n", "MOV cannot have two memory operands"},
      {"X86 t\n{}\n P0 ;\n LOCK MOV [x],$1 ;\n", "LOCK cannot prefix MOV"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (0:EZX=1)\n", "t.litmus:5:11: 'EZX' is not an X86 register"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (5:EAX=1)\n", "t.litmus:5:11: no thread 5 (the test has 1)"},
      {"X86 t\n{ 3:EAX=1; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", "t.litmus:2:5: no thread 3 (the test has 1)"},
      {"X86 t\n{ 0:EAX=1; 0:eax=2; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", "register 0:eax is initialised twice"},
      {"X86 t\n{ x=1; x=2; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", "t.litmus:2:8: location 'x' is initialised twice"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\n", "t.litmus:5:1: expected a final condition ('exists', '~exists' or 'forall') but found end of file"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1) garbage\n", "t.litmus:5:14: expected the end of the file after the condition but found 'garbage'"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1 /\\ )\n", "expected a register (0:EAX), a location, '~' or '('"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1\n", "expected ')' or an operator"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x>1)\n", "t.litmus:5:10: expected '=' but found '>'"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\n~forall (x=1)\n", "expected 'exists' after '~'"},
      {"C t\n{}\nP0(int *x) { r0; }\nexists (x=1)\n", "t.litmus:3:14: unknown name 'r0' (not a register of P0)"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=y)\n", "t.litmus:5:11: comparing with 'y', which is no location"},
      {"C t\n{}\nP0(int *x) { READ_ONCE(*y); }\nexists (x=1)\n", "t.litmus:3:25: 'y' is not a parameter or register of P0"},
      {"C t\n{}\nP0(int *x) { int r0; r0 = READ_ONCE(*x) }\nexists (x=1)\n", "t.litmus:3:41: expected ';' but found '}'"},
      {"C t\n{}\nP0(int *x) { int r0; r0 = READ_ONCE(x); }\nexists (x=1)\n", "t.litmus:3:37: expected '*' but found 'x'"},
      {"C t\n{}\nP0(int *x) { WRITE_ONCE(*y, 1); }\nexists (x=1)\n", "'y' is not a parameter or register of P0"},
      {"C t\n{}\nP0(int *x) { int r0; int r0; }\nexists (x=1)\n", "'r0' is declared twice"},
      {"C t\n{}\nP0(int *x) { int r0; r0 = WRITE_ONCE(*x, 1); }\nexists (x=1)\n", "'WRITE_ONCE' has no value"},
      {"C t\n{}\nP0(int *x) { int r0; \nexists (x=1)\n", "t.litmus:4:1: expected '}' but found 'exists'"},
      {"C t\n{}\nP0(int *x) { int r0; ", "t.litmus:3:22: expected '}' but found end of file"},
      {"C t\n{}\nP0(int *x) { else ; }\nexists (x=1)\n", "'else' without 'if'"},
      {"C t\n{}\nP1(int *x) { }\nexists (x=1)\n", "t.litmus:3:1: expected 'P0' (a thread) but found 'P1'"},
      {"C t\n{}\nexists (x=1)\n", "t.litmus:3:1: expected 'P0' (a thread) but found 'exists'"},
      {"C t\n{}\nP0(int *x) { int r0; }\nexists (0:r1=1)\n", "t.litmus:4:11: P0 declares no register 'r1'"},
      {"C t\n{ uint64_t x; }\nP0(int *x) { }\nexists (x=1)\n", "t.litmus:3:9: location 'x' declared with 4 bytes here but 8 before"},
      {"C t\n{}\nP0(int *x, int *x) { }\nexists (x=1)\n", "parameter 'x' appears twice"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) parse_fails(cases[i].text, SIM_ESYNTAX, cases[i].want);
}

static void t_unsupported(void) {
  static const struct {
    const char *text, *want;
  } cases[] = {
      {"ARM t\n{}\n", "t.litmus:1:1: architecture 'ARM' is not supported (only X86, AArch64 and C)"},
#define A64 "AArch64 t\n{ 0:X1=x; }\n P0 ;\n"
      {A64 " CMP W0,#1 ;\n B.HI L0 ;\n L0: ;\n", "t.litmus:5:4: condition 'HI' is not supported (EQ NE GE LT GT LE)"},
      {A64 " LDADDX W0,W1,[X1] ;\n", "instruction 'LDADDX' is not supported"},
      {A64 " LDR W0,[X1,#8] ;\n", "t.litmus:4:13: an offset other than #0 is not supported"},
      {A64 " LDR W0,[X1,W2,LSL] ;\n", "index extension 'LSL' is not supported"},
      {A64 " L0: ;\n CBZ W0,L0 ;\n", "t.litmus:5:9: a branch back to 'L0' (a loop) is not supported"},
      {"X86_64 t\n{}\n", "t.litmus:1:1: architecture 'X86_64'"},
      {"X86 t\n{}\n P0 ;\n CMP EAX,$1 ;\n", "t.litmus:4:2: instruction 'CMP' is not supported"},
      {"X86 t\n{}\n P0 ;\n JMP L0 ;\n", "instruction 'JMP' is not supported"},
      {"X86 t\n{}\n P0 ;\n MOV EAX,[x+4] ;\n", "t.litmus:4:12: addressing modes other than [location] are not supported"},
      {"X86 t\n{}\n P0 ;\n MOV EAX,[EBX] ;\n", "register-indirect addressing [EBX]"},
      {"X86 t\n{}\n P0 ;\n XADD [x],EAX ;\n", "XADD without LOCK is not atomic"},
      {"X86 t\n{}\n P0 ;\n MOV EAX,$x ;\n", "'$x': addresses as values are not supported"},
      {"X86 t\n{ 0:EAX=x; }\n P0 ;\n MOV EAX,[x] ;\n", "t.litmus:2:9: 'x': locations holding addresses are not supported"},
      {"X86 t\n{}\n P0 ;\n MOV [x],$1 ;\nfilter (x=1)\nexists (x=1)\n", "t.litmus:5:1: 'filter' is not supported"},
      {"C t\n{}\nP0(int x) { }\nexists (x=1)\n", "parameter 'x' is not a pointer"},
      {"C t\n{}\nP0(int *x) { while (1) { } }\nexists (x=1)\n", "t.litmus:3:14: 'while' is not supported"},
      {"C t\n{}\nP0(int *x) { int r0; r0 = srcu_read_lock(x); }\nexists (x=1)\n", "'srcu_read_lock' is not supported"},
      {"C t\n{}\nP0(int *x) { int r0; if (r0 && READ_ONCE(*x)) r0 = 1; }\nexists (x=1)\n",
       "t.litmus:3:32: a shared access in the right operand of && or ||"},
      {"X86 t\n{}\n P0 | P1 | P2 | P3 | P4 | P5 | P6 | P7 | P8 ;\n", "t.litmus:3:42: more than 8 threads"},
      {"X86 t\n{ a=0; b=0; c=0; d=0; e=0; f=0; g=0; h=0; i=0; j=0; k=0; l=0; m=0; n=0; o=0; p=0; q=0; }\n",
       "t.litmus:2:83: more than 16 shared locations"},
      {"C t\n{}\nP0(int *x) { int a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q; }\nexists (x=1)\n", "P0 needs more than 16 registers"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) parse_fails(cases[i].text, SIM_EUNSUP, cases[i].want);
}

static void t_io_error(void) {
  litmus_test *t = (litmus_test *)1;
  sim_err err = {0};
  CHECK_EQ_I64(litmus_parse_file("/nonexistent/dir/x.litmus", &t, &err), SIM_EIO);
  CHECK(t == NULL);
  CHECK_CONTAINS(err.msg, "/nonexistent/dir/x.litmus");
}

/* --- Nesting (LI6) ---------------------------------------------------------
 * Each construct nested n deep: before LITMUS_MAX_NEST bounded it, 16,000 to
 * 32,000 levels overflowed the parser's stack (exit 139), and a long
 * operator chain overflowed the interpreter's on a coroutine.  Each parse
 * runs in a child process, so a crash fails its own construct by name. */

typedef enum { N_COND_PAREN, N_COND_TILDE, N_COND_CHAIN, N_C_NEG, N_C_PAREN, N_C_BRACE, N_C_IF, N_C_CHAIN } nest_kind;

static char *repeat(char *p, const char *s, unsigned n) {
  for (size_t len = strlen(s); n-- > 0; p += len) memcpy(p, s, len);
  *p = '\0';
  return p;
}

/* A test whose kind-construct nests n deep; caller frees. */
static char *nested(nest_kind k, unsigned n) {
  char *text = malloc(64 + 20 * (size_t)n), *p = text;
  if (!text) return NULL;
  if (k <= N_COND_CHAIN) {
    p += sprintf(p, "X86 t\n{ x=0; }\n P0 ;\n MOV EAX,[x] ;\nexists (");
    if (k == N_COND_PAREN) p = repeat(repeat(repeat(p, "(", n), "0:EAX=0", 1), ")", n);
    if (k == N_COND_TILDE) p = repeat(repeat(p, "~", n), "0:EAX=0", 1);
    if (k == N_COND_CHAIN) p = repeat(repeat(p, "0:EAX=0 \\/ ", n), "0:EAX=1", 1);
    sprintf(p, ")\n");
    return text;
  }
  p += sprintf(p, "C t\n{ x=0; }\nP0(int *x) {\n int r0 = 0;\n ");
  if (k == N_C_NEG) p = repeat(repeat(repeat(p, "r0 = ", 1), "-", n), "r0;", 1);
  if (k == N_C_PAREN) p = repeat(repeat(repeat(repeat(repeat(p, "r0 = ", 1), "(", n), "r0", 1), ")", n), ";", 1);
  if (k == N_C_BRACE) p = repeat(repeat(p, "{", n), "}", n);
  if (k == N_C_IF) p = repeat(repeat(p, "if (r0) ", n), "r0 = 1;", 1);
  if (k == N_C_CHAIN) p = repeat(repeat(repeat(p, "r0 = ", 1), "r0 + ", n), "r0;", 1);
  sprintf(p, "\n}\nexists (0:r0=0)\n");
  return text;
}

/* Parse kind nested n deep in a child: exit 0 if the result is as wanted
 * (want == NULL: parses; else SIM_EUNSUP with want in the message). */
static void nest_case(nest_kind k, unsigned n, const char *want) {
  fflush(NULL);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    char *text = nested(k, n);
    litmus_test *t = NULL;
    sim_err err = {0};
    int rc = text ? litmus_parse_string("t.litmus", text, &t, &err) : SIM_ENOMEM;
    bool ok = want ? rc == SIM_EUNSUP && !t && strstr(err.msg, want) : rc == 0 && litmus__check(t);
    if (!ok) fprintf(stderr, "  kind %d, %u deep: rc %d: %s\n", (int)k, n, rc, err.msg);
    litmus_free(t);
    free(text);
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  CHECK_EQ_I64(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status)) fprintf(stderr, "  kind %d, %u deep: killed by signal %d\n", (int)k, n, WTERMSIG(status));
  CHECK(WIFEXITED(status));
  CHECK_EQ_I64(WEXITSTATUS(status), 0);
}

static void t_nesting(void) {
  static const struct {
    nest_kind k;
    const char *deep; /* the error of 40,000 levels: FILE:LINE:COL and the limit */
  } cases[] = {
      {N_COND_PAREN, "t.litmus:5:264: nested deeper than 256 levels"},
      {N_COND_TILDE, "t.litmus:5:264: nested deeper than 256 levels"},
      {N_COND_CHAIN, "t.litmus:5:2822: condition nested deeper than 256 levels"},
      {N_C_NEG, "t.litmus:5:262: nested deeper than 256 levels"},
      {N_C_PAREN, "t.litmus:5:262: nested deeper than 256 levels"},
      {N_C_BRACE, "t.litmus:5:258: nested deeper than 256 levels"},
      {N_C_IF, "t.litmus:5:2046: nested deeper than 256 levels"},
      {N_C_CHAIN, "t.litmus:5:1285: expression nested deeper than 256 levels"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    nest_case(cases[i].k, 200, NULL); /* deep but within the limit */
    nest_case(cases[i].k, 40000, cases[i].deep);
  }
}

/* Every shipped test parses, is named after its file, is in its dialect's
 * folder, and states an expectation for every model it is run under
 * (space-separated). */
static void check_shipped(const char *sub, const char *arch, unsigned min_files, const char *models) {
  litmus_files f;
  CHECK(litmus_files_list(sub, &f));
  for (size_t i = 0; i < f.n; i++) {
    const char *path = f.path[i], *file = strrchr(path, '/') + 1;
    litmus_test *t = NULL;
    sim_err err = {0};
    int rc = litmus_parse_file(path, &t, &err);
    if (rc) fprintf(stderr, "  %s\n", err.msg);
    CHECK_EQ_I64(rc, 0);
    CHECK(litmus__check(t));
    CHECK_EQ_STR(litmus_arch(t), arch);
    char want[300];
    snprintf(want, sizeof want, "%s.litmus", litmus_name(t));
    CHECK_EQ_STR(file, want);
    char list[64], *save = NULL;
    snprintf(list, sizeof list, "%s", models);
    for (char *m = strtok_r(list, " ", &save); m; m = strtok_r(NULL, " ", &save)) {
      if (litmus_expected(t, m) == LITMUS_EXPECT_UNKNOWN)
        fprintf(stderr, "  %s: no expectation for %s\n", path, m);
      CHECK(litmus_expected(t, m) != LITMUS_EXPECT_UNKNOWN);
    }
    litmus_free(t);
  }
  if (f.n < min_files) fprintf(stderr, "  litmus/%s: %zu files\n", sub, f.n);
  CHECK(f.n >= min_files);
  litmus_files_free(&f);
}

static void t_shipped_x86(void) { check_shipped("x86", "X86", 25, "sc tso pso weak"); }
static void t_shipped_c(void) { check_shipped("c", "C", 25, "sc tso pso weak"); }
static void t_shipped_aarch64(void) { check_shipped("aarch64", "AArch64", 40, "arm"); }

static const check_case cases[] = {
    {"x86_sb", t_x86_sb},
    {"x86_init_forms", t_x86_init_forms},
    {"x86_instructions", t_x86_instructions},
    {"x86_one_thread", t_x86_one_thread},
    {"c_lkmm", t_c_lkmm},
    {"c_init_forms", t_c_init_forms},
    {"c_statements", t_c_statements},
    {"c_comments_between", t_c_comments_between},
    {"result_forms", t_result_forms},
    {"result_errors", t_result_errors},
    {"cond_forms", t_cond_forms},
    {"locations", t_locations},
    {"syntax_errors", t_syntax_errors},
    {"unsupported", t_unsupported},
    {"io_error", t_io_error},
    {"nesting", t_nesting},
    {"shipped_x86", t_shipped_x86},
    {"shipped_c", t_shipped_c},
    {"shipped_aarch64", t_shipped_aarch64},
    {0},
};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
