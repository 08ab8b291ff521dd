/* workloads/litmus_int.h -- the layout of a parsed litmus test (folder-internal).
 *
 * Only workloads/litmus_*.c and the litmus unit tests include this; everyone
 * else sees the opaque handle of litmus.h.
 *
 * Design.  Parsing compiles each thread into a flat array of instructions
 * over resolved indices, so running one is a switch per instruction and
 * nothing else: no string, no lookup, no allocation (litmus_thread_run runs
 * millions of times a second).  Both dialects compile to the same small
 * instruction set:
 *   LOAD   reg <- [loc]                  mem_load  with a mem_order
 *   STORE  [loc] <- expr                 mem_store with a mem_order
 *   RMW    reg <- [loc] op= expr         mem_rmw   (reg may be none)
 *   CAS    reg <- cas([loc], e1, e2)     mem_cas   (reg gets the old value)
 *   LOCK   spin until [loc] is taken     spinlock.h: a CAS loop, test-and-test-and-set
 *   WAIT   spin until [loc] == 0         synchronize_rcu's wait for one reader
 *   UNLESS reg <- add_unless([loc], e1, e2)  a CAS loop; reg gets 1 if it added
 *   FENCE                                mem_fence
 *   SET    reg <- expr                   registers only
 *   JZ     if expr == 0 goto target      C's if/else
 *   JMP    goto target
 *   ISB    nothing, but what ran speculatively past a branch waits for it
 * LOCK, WAIT and UNLESS loop over several accesses in the simulator and
 * natively, as the kernel's code does, but count as one shared access to the
 * SC search (litmus_sc.c): their failed attempts change nothing, so taking
 * each in one atomic step at a moment it can succeed reaches the same final
 * states.  LOCK and WAIT are not enabled while they would spin.
 * Expressions are trees in one array per test (children before parents, by
 * index); they read registers only, because the C parser hoists every shared
 * access out of an expression into an instruction that writes a hidden
 * register (a "temporary"), in evaluation order.  An interpreter over a
 * tree costs a few nanoseconds per test, far below one simulated micro-op.
 *
 * Rejected alternative: one closure or function pointer per instruction
 * ("threaded code").  It saves a switch but makes the code unprintable and
 * the checker blind; the switch is not where the time goes.
 *
 * Values.  A register holds an int64_t already narrowed (sign-extended) to its
 * width: 4 bytes for X86's E?X and C's int, 8 for C's long/u64/...  A load
 * sign-extends the location's raw value from the location's size, a store
 * truncates to it.  So a 4-byte location holding 0xffffffff reads and prints
 * as -1, as herd7 prints it.
 *
 * Invariants (checked by litmus__check()):
 *   LI1  Every memory instruction names a location < nlocs, and its size is
 *        that location's size (an indirect one, aptr > 0, takes both from
 *        the pointer when it runs; aptr - 1 is a register of its thread);
 *        every dst is -1 or < its thread's nregs, and
 *        dst_bytes is that register's width.
 *   LI2  Every expression index is < nex and a node's children have smaller
 *        indices (no cycles); a REG node names a register of the thread that
 *        uses it.
 *   LI3  Jump targets are <= the thread's ncode (ncode means "end") and
 *        after the jump: no loops, so every thread ends.
 *   LI4  Every observed variable names an existing register or location; every
 *        condition atom names an observed variable (< nobs).
 *   LI5  A location's init is truncated to its size; a register's init is
 *        narrowed to its width; a condition atom's constant is normalised the
 *        same way, so comparison is plain int64 equality.
 *   LI6  No expression or condition tree is deeper than LITMUS_MAX_NEST, and
 *        the parsers never recurse deeper than that either (litmus__nest_enter),
 *        so no input can overflow a stack.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_INT_H
#define MMSIM_WORKLOADS_LITMUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "litmus.h"

#define LITMUS_NAME_MAX 32         /* register and location names, with the NUL */
#define LITMUS_MAX_CODE 4096       /* instructions per thread */
#define LITMUS_MAX_NODES 65536     /* expression and condition nodes per test */
#define LITMUS_NMODELS 5
/* LI6: how deep parentheses, prefix operators, blocks and expression trees
 * may nest.  The parsers recurse once per level, and litmus_thread_run and
 * the condition's evaluator recurse once per tree level on a coroutine's
 * small stack, so without a bound a hostile file overflows the stack
 * (about 16,000 levels on the main stack, a few thousand on a coroutine's).
 * Real tests nest a handful of levels. */
#define LITMUS_MAX_NEST 256

typedef enum { LITMUS_DIALECT_X86, LITMUS_DIALECT_C, LITMUS_DIALECT_AARCH64 } litmus_dialect;

/* --- Locations -------------------------------------------------------- */

typedef struct litmus_loc {
  char name[LITMUS_NAME_MAX];
  uint8_t size;     /* bytes: 1, 2, 4 or 8; 4 unless a type said otherwise */
  bool typed;       /* the size came from a declaration (init or C parameter) */
  bool initialised; /* named in the init block with a value */
  bool ptr;         /* declared as holding a pointer (litmus__loc_declare) */
  uint64_t init;    /* LI5: truncated to size once parsing ends */
} litmus_loc;

/* --- Expressions ------------------------------------------------------ */

#define LITMUS_EXPRS(X)                                                  \
  X(CONST, "const") X(REG, "reg")                                        \
  X(NEG, "-") X(NOT, "!") X(BNOT, "~")                                   \
  X(ADD, "+") X(SUB, "-") X(MUL, "*")                                    \
  X(AND, "&") X(OR, "|") X(XOR, "^")                                     \
  X(EQ, "==") X(NE, "!=") X(LT, "<") X(LE, "<=") X(GT, ">") X(GE, ">=") \
  X(LAND, "&&") X(LOR, "||")

typedef enum {
#define X(n, s) LX_##n,
  LITMUS_EXPRS(X)
#undef X
  LX_N
} litmus_xkind;

typedef struct litmus_expr {
  uint8_t kind; /* litmus_xkind */
  uint8_t reg;  /* LX_REG */
  uint16_t depth; /* LI6: 1 for a leaf, else 1 + its deepest child's */
  uint32_t a, b;
  int64_t val; /* LX_CONST */
} litmus_expr;

/* The value of a unary (b ignored) or binary operator.  Arithmetic wraps, as
 * the hardware's does, and is done unsigned so it is never undefined. */
static inline int64_t litmus__apply(unsigned kind, int64_t a, int64_t b) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  switch (kind) {
  case LX_NEG: return (int64_t)(0 - ua);
  case LX_NOT: return !a;
  case LX_BNOT: return (int64_t)~ua;
  case LX_ADD: return (int64_t)(ua + ub);
  case LX_SUB: return (int64_t)(ua - ub);
  case LX_MUL: return (int64_t)(ua * ub);
  case LX_AND: return (int64_t)(ua & ub);
  case LX_OR: return (int64_t)(ua | ub);
  case LX_XOR: return (int64_t)(ua ^ ub);
  case LX_EQ: return a == b;
  case LX_NE: return a != b;
  case LX_LT: return a < b;
  case LX_LE: return a <= b;
  case LX_GT: return a > b;
  case LX_GE: return a >= b;
  case LX_LAND: return a && b; /* operands have no side effects: see C parser */
  case LX_LOR: return a || b;
  }
  return 0;
}

/* Sign-extend the low `bytes` bytes of v (the width of a location or register). */
static inline int64_t litmus__sext(uint64_t v, unsigned bytes) {
  switch (bytes) {
  case 1: return (int8_t)v;
  case 2: return (int16_t)v;
  case 4: return (int32_t)v;
  default: return (int64_t)v;
  }
}

/* --- Instructions ----------------------------------------------------- */

#define LITMUS_INSNS(X)                                                  \
  X(LOAD, "load") X(STORE, "store") X(RMW, "rmw") X(CAS, "cas")          \
  X(LOCK, "lock") X(WAIT, "wait") X(UNLESS, "unless")                    \
  X(FENCE, "fence") X(SET, "set") X(JZ, "jz") X(JMP, "jmp") X(ISB, "isb")    \
  X(GP, "gp")

typedef enum {
#define X(n, s) LI_##n,
  LITMUS_INSNS(X)
#undef X
  LI_N
} litmus_iop;
/* The shared accesses come first (litmus__exec counts them so).  LI_GP only
 * lives while parsing: the C parser expands it into WAITs once every
 * thread's readers are known. */
#define LI_LAST_MEM LI_UNLESS
_Static_assert(LI_LOAD == 0 && LI_STORE == 1 && LI_RMW == 2 && LI_CAS == 3 && LI_UNLESS == 6,
               "memory ops first");
static inline bool litmus__is_mem(unsigned op) { return op <= LI_LAST_MEM; }

typedef struct litmus_insn {
  uint8_t op;        /* litmus_iop */
  uint8_t sub;       /* LOAD/STORE: mem_order; RMW: mem_rmw_op; FENCE: mem_fence_kind */
  uint8_t loc;       /* memory instructions */
  uint8_t size;      /* LI1: access bytes == the location's size */
  int8_t dst;        /* register written, or -1 */
  uint8_t dst_bytes; /* LI1: its width */
  uint8_t ret_new;   /* RMW: dst gets the new value (atomic_add_return);
                        CAS: dst gets 1 on success, else 0 (spin_trylock) */
  uint8_t order;     /* RMW/CAS: mem_order (MO_SEQ_CST unless _relaxed/_acquire/_release) */
  uint16_t target;   /* JZ/JMP: next instruction when taken */
  uint8_t aptr;      /* memory instructions: 1 + the register holding the
                        address (a pointer, READ_ONCE(*r0)); 0: loc (so a
                        zeroed instruction is direct) */
  uint8_t plain;     /* LOAD/STORE: a plain C access (x = 1, r = *x) */
  uint8_t excl;      /* LOAD: LDXR (sets the monitor); CAS: STXR, dst gets 0 if
                        it stored, 1 if not (mem.h load_excl, store_cond) */
  uint32_t e1, e2;   /* STORE/RMW/SET: e1 value; JZ: e1 condition; CAS: e1 expected, e2 desired;
                        UNLESS: e1 addend, e2 the value that stops it */
  uint32_t line, col; /* source position, for litmus__insn_str */
} litmus_insn;

/* Pointers.  A location's address as a value is LITMUS_PTR_BASE plus its
 * index: symbolic, so the simulator, the host and the SC search agree on it
 * bit for bit, and it prints as the location's name (herd7 prints "x").  It
 * fits 31 bits, so a pointer stored in an int location survives, and lies
 * far from the small constants tests use.  A load through a value that is
 * no location reads 0 and touches no memory; a store through one is
 * dropped (herd7 would have no such execution; the C test is broken). */
#define LITMUS_PTR_BASE INT64_C(0x50000000)

/* The location a value points to, or -1. */
static inline int litmus__ptr_loc(unsigned nlocs, int64_t v) {
  uint64_t i = (uint64_t)v - (uint64_t)LITMUS_PTR_BASE;
  return i < nlocs ? (int)i : -1;
}

/* The location memory instruction `in` accesses with its thread's registers
 * regs: its own, or where its pointer register points (-1: nowhere). */
static inline int litmus__insn_loc(unsigned nlocs, const litmus_insn *in, const int64_t *regs) {
  return in->aptr ? litmus__ptr_loc(nlocs, regs[in->aptr - 1]) : in->loc;
}

/* --- Threads ---------------------------------------------------------- */

typedef struct litmus_reg {
  char name[LITMUS_NAME_MAX];
  uint8_t bytes; /* 4 or 8 (1, 2 for C char/short) */
  bool hidden;   /* a temporary of the C parser: never observable */
} litmus_reg;

typedef struct litmus_thread {
  litmus_insn *code;
  unsigned ncode, capcode;
  unsigned nregs;
  litmus_reg reg[LITMUS_MAX_REGS];
  int64_t reg_init[LITMUS_MAX_REGS]; /* LI5 */
} litmus_thread;

/* --- Outcome and condition -------------------------------------------- */

typedef struct litmus_obs {
  bool is_reg;
  uint8_t tid;                        /* is_reg */
  uint8_t idx;                        /* register of thread tid, or location */
  char name[LITMUS_NAME_MAX + 8];     /* "0:EAX", "1:r0", "x" */
} litmus_obs;

#define LITMUS_PROPS(X)                                                  \
  X(TRUE, "true") X(FALSE, "false") X(EQ, "=") X(NE, "!=")               \
  X(NOT, "~") X(AND, "/\\") X(OR, "\\/") X(IMP, "=>")

typedef enum {
#define X(n, s) LP_##n,
  LITMUS_PROPS(X)
#undef X
  LP_N
} litmus_pkind;

typedef struct litmus_prop {
  uint8_t kind; /* litmus_pkind */
  uint8_t obs;  /* LP_EQ, LP_NE */
  uint16_t depth; /* LI6: 1 for a leaf, else 1 + its deepest child's */
  uint32_t a, b;
  int64_t val; /* LI5: normalised to the observed variable's width */
} litmus_prop;

/* --- The test --------------------------------------------------------- */

struct litmus_test {
  char *path, *name, *cond_str;
  char *src; /* the text it was parsed from (litmus_source) */
  litmus_dialect dialect;

  unsigned nthreads;
  litmus_thread th[LITMUS_MAX_THREADS];

  unsigned nlocs;
  litmus_loc loc[LITMUS_MAX_LOCS];

  litmus_expr *ex;
  unsigned nex, capex;

  unsigned nobs;
  litmus_obs obs[LITMUS_MAX_OBS];
  litmus_prop *pr;
  unsigned npr, cappr;
  uint32_t cond_root;
  litmus_quant quant;

  litmus_expect expect[LITMUS_NMODELS]; /* in litmus__model_name order */
};

/* "sc", "tso", "pso", "weak", "arm": the order of litmus_test.expect. */
extern const char *const litmus__model_name[LITMUS_NMODELS];

/* --- Out-of-order loads (litmus_ooo.c) ----------------------------------- */

/* A thread on a port with load_async (an arm core).  A load into register
 * r is handed over and the thread runs on: r is pending until an
 * instruction reads it.  Cell r (val, bound) is where the core writes the
 * value; it is reused by the next load into r once the previous one bound. */
typedef struct litmus_ooo {
  mem_port *p;
  const litmus_expr *ex;
  int64_t *regs;
  bool pend[LITMUS_MAX_REGS];    /* regs[r] is its load's, not yet read */
  bool issued[LITMUS_MAX_REGS];  /* a load into cell r was handed over */
  bool bound[LITMUS_MAX_REGS];   /* ... and has bound (the core sets it) */
  uint64_t val[LITMUS_MAX_REGS]; /* its raw value */
  uint8_t size[LITMUS_MAX_REGS], bytes[LITMUS_MAX_REGS];
  bool dep[LITMUS_MAX_REGS];     /* regs[r] came from a load, maybe through arithmetic */
  /* A branch on a pending register, predicted not taken: the state before
   * it, to go back to if it is taken. */
  const litmus_insn *spec; /* the branch, or NULL */
  unsigned spec_next;      /* the instruction after it */
  int64_t ck_regs[LITMUS_MAX_REGS];
  bool ck_pend[LITMUS_MAX_REGS];  /* cell r still holds the load regs[r] awaited then */
  bool ck_dep[LITMUS_MAX_REGS];
  bool reloaded[LITMUS_MAX_REGS]; /* a load into r since the branch */
} litmus_ooo;

void litmus__ooo_init(litmus_ooo *o, mem_port *p, const litmus_expr *ex, int64_t *regs);
/* The registers `in` reads, settled before it runs. */
void litmus__ooo_settle_insn(litmus_ooo *o, const litmus_insn *in);
/* A load into in->dst that the thread does not wait for. */
void litmus__ooo_load(litmus_ooo *o, const litmus_insn *in, void *addr);
/* The order a load runs with: consume if its address came from a load
 * (an address dependency: the invalidate queue is applied first). */
mem_order litmus__ooo_order(const litmus_ooo *o, const litmus_insn *in);
/* A JZ: true if its condition waits for a load and the thread runs on
 * past it speculatively (not taken). */
bool litmus__ooo_speculate(litmus_ooo *o, const litmus_insn *in, unsigned pc);
/* Must a speculation end before `in` (a store, an atomic, ISB, a branch)? */
bool litmus__ooo_must_resolve(const litmus_insn *in);
/* End it: the pc to go on from (pc if predicted right, else the target). */
unsigned litmus__ooo_resolve(litmus_ooo *o, unsigned pc);
/* The thread's end: every register final, every cell free. */
void litmus__ooo_finish(litmus_ooo *o, unsigned nregs);

/* --- Running part of a thread (litmus_interp.c) ------------------------- */

/* The value of expression i over registers regs. */
int64_t litmus__eval(const litmus_expr *ex, uint32_t i, const int64_t *regs);

/* Run thread tid from pc with registers regs (already initialised), doing
 * at most max_mem shared accesses (LOAD, STORE, RMW, CAS; fences do not
 * count); stop before the next one or at the end.  Returns the pc reached
 * (ncode at the end).  litmus_thread_run is one call with UINT_MAX; the SC
 * search (litmus_sc.c) steps a thread one access at a time with 1.  Jumps
 * only go forward (the dialects have no loops), so every call ends. */
unsigned litmus__exec(const litmus_test *t, unsigned tid, unsigned pc, mem_port *p, void *const *loc,
                      int64_t *regs, unsigned max_mem);

/* --- Building a test (litmus_test.c) ----------------------------------- */

litmus_test *litmus__new(const char *path); /* NULL when out of memory */
int litmus__loc_find(const litmus_test *t, const char *name, size_t len);
int litmus__reg_find(const litmus_thread *th, const char *name, size_t len);
/* Truncate inits and normalise sizes once every declaration is known (LI5). */
void litmus__finalize(litmus_test *t);

/* Insert `in` before instruction pc of thread tid (pc == ncode: at the end),
 * moving jumps past pc along; SIM_EINVAL past LITMUS_MAX_CODE, SIM_ENOMEM. */
int litmus__insert(litmus_test *t, unsigned tid, unsigned pc, const litmus_insn *in);

/* Debug */
bool litmus__check(const litmus_test *t); /* use as assert(litmus__check(t)) */
/* "load r0 <- x relaxed" (one instruction, for traces and tests). */
const char *litmus__insn_str(const litmus_test *t, unsigned tid, unsigned pc, char *buf, size_t n);

/* --- The parser's shared state (litmus_lex.c, litmus_parse.c, litmus_x86.c,
 *     litmus_c.c) ------------------------------------------------------- */

typedef enum {
  LT_EOF, LT_IDENT, LT_NUM, LT_STRING,
  LT_LBRACE, LT_RBRACE, LT_LPAREN, LT_RPAREN, LT_LBRACK, LT_RBRACK,
  LT_SEMI, LT_COMMA, LT_BAR, LT_COLON, LT_DOLLAR, LT_HASH,
  LT_ASSIGN, LT_EQ, LT_NE, LT_LT, LT_LE, LT_GT, LT_GE,
  LT_PLUS, LT_MINUS, LT_STAR, LT_AMP, LT_CARET, LT_TILDE, LT_BANG,
  LT_ANDAND, LT_OROR, LT_CONJ, LT_DISJ, LT_IMPL,
  LT_BAD,    /* a character no token starts with, or a number too large */
  LT_UNTERM, /* an unterminated comment or string */
  LT_N
} litmus_tk;

typedef struct litmus_tok {
  litmus_tk kind;
  const char *s; /* into the source text */
  unsigned len;
  unsigned line, col; /* 1-based; columns count bytes */
  uint64_t num;       /* LT_NUM: the magnitude */
} litmus_tok;

typedef struct litmus_lex {
  const char *src, *p;
  unsigned line, col;
  /* Inside a C thread: C comments, && and ||, and "(*" is not a comment
   * (READ_ONCE(*x) would be one).  Elsewhere herd's nested (* *) comments. */
  bool c_code;
  bool c_comments; /* C comments outside C code too (a C-dialect file) */
} litmus_lex;

/* Comments seen by litmus__lex_skip_blank: text without the delimiters. */
typedef int (*litmus_comment_fn)(void *ctx, const char *s, size_t len);

void litmus__lex_init(litmus_lex *lx, const char *src);
/* Skip blanks and comments, calling fn (may be NULL) on each comment; stops
 * before an unterminated comment so that the next token reports it.
 * Returns 0 or what fn returned. */
int litmus__lex_skip_blank(litmus_lex *lx, litmus_comment_fn fn, void *ctx);
void litmus__lex_next(litmus_lex *lx, litmus_tok *tok);
void litmus__lex_peek(const litmus_lex *lx, litmus_tok *tok);
void litmus__lex_peek2(const litmus_lex *lx, litmus_tok *tok); /* the token after */
void litmus__lex_skip_line(litmus_lex *lx);
/* Where a pointer into the source is (for errors inside comments). */
void litmus__lex_where(const litmus_lex *lx, const char *at, unsigned *line, unsigned *col);
bool litmus__tok_is(const litmus_tok *tok, const char *word);     /* exact IDENT */
bool litmus__tok_iis(const litmus_tok *tok, const char *word);    /* IDENT, any case */

typedef struct litmus_rinit {
  unsigned tid, line, col;
  char name[LITMUS_NAME_MAX];
  int64_t val;
} litmus_rinit;

typedef struct litmus_param {
  char name[LITMUS_NAME_MAX];
  uint8_t loc;
} litmus_param;

/* An AArch64 label, or a branch to one (litmus_aarch64.c). */
#define LITMUS_MAX_LABELS 64
typedef struct litmus_label {
  char name[LITMUS_NAME_MAX];
  uint8_t tid;
  uint16_t pc; /* the label's instruction, or the branch's */
  uint32_t line, col;
} litmus_label;

typedef struct litmus_ps {
  litmus_lex lx;
  litmus_test *t;
  const char *fname;
  sim_err *err;
  bool have_result;

  /* Register inits of the init block, applied once the threads exist. */
  litmus_rinit rinit[LITMUS_MAX_THREADS * LITMUS_MAX_REGS];
  unsigned nrinit;

  /* The C thread being parsed. */
  unsigned tid;
  litmus_param param[LITMUS_MAX_LOCS];
  unsigned nparam;
  uint8_t temp[LITMUS_MAX_REGS]; /* its hidden registers, reused by each statement */
  unsigned ntemp, temp_used;
  bool pure_only; /* right operand of && or ||: no shared access allowed */
  unsigned nest;  /* LI6: recursion depth of the parser */

  /* RCU (litmus_c.c): each reader thread's hidden location, -1 if it has
   * none, and the lexical nesting of rcu_read_lock in the thread parsed. */
  int rcu_loc[LITMUS_MAX_THREADS];
  unsigned rcu_nest;

  /* AArch64: labels and branches, matched once every row is read. */
  litmus_label label[LITMUS_MAX_LABELS], branch[LITMUS_MAX_LABELS];
  unsigned nlabel, nbranch;
} litmus_ps;

/* Errors: "file:line:col: " then the message; return the code. */
int litmus__err_at(litmus_ps *ps, unsigned line, unsigned col, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int litmus__err_tok(litmus_ps *ps, const litmus_tok *tok, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* ESYNTAX "expected WHAT but found 'TOKEN'". */
int litmus__expected(litmus_ps *ps, const litmus_tok *tok, const char *what);
/* Consume a token of kind k or fail with litmus__expected(what). */
int litmus__expect(litmus_ps *ps, litmus_tk k, const char *what, litmus_tok *out);
/* An optionally negative integer: ['-'] NUM. */
int litmus__int(litmus_ps *ps, int64_t *v);

/* Building, with limits checked against the input (SIM_EUNSUP) and memory. */
int litmus__loc_get(litmus_ps *ps, const litmus_tok *name, int *loc); /* find or add */
int litmus__reg_add(litmus_ps *ps, unsigned tid, const litmus_tok *at, const char *name,
                    unsigned bytes, bool hidden, int *reg);
int litmus__emit(litmus_ps *ps, unsigned tid, const litmus_insn *in, unsigned *pc);
int litmus__expr(litmus_ps *ps, const litmus_tok *at, litmus_expr e, uint32_t *idx);
int litmus__prop(litmus_ps *ps, const litmus_tok *at, litmus_prop p, uint32_t *idx);
/* LI6: call on entering a recursive construct (at: where it starts);
 * SIM_EUNSUP past LITMUS_MAX_NEST levels.  Pair each 0 with a leave. */
int litmus__nest_enter(litmus_ps *ps, const litmus_tok *at);
static inline void litmus__nest_leave(litmus_ps *ps) { ps->nest--; }

/* Sizes of C and herd type names ("int" 4, "u64" 8, ...); 0 if not a type
 * word.  litmus__type parses a run of them ("unsigned long", "volatile int"). */
unsigned litmus__type_bytes(const litmus_tok *tok);
int litmus__type(litmus_ps *ps, unsigned *bytes);
/* Find or add location `name` and give it a declared size (an error if it
 * was declared with another).  ptr: declared as holding a pointer (int *x
 * in the init, int **x as a parameter): 8 bytes, and no conflict with a
 * declaration that does not say so, since herd7's C tests write `int *c`
 * for a parameter whose location holds a pointer. */
int litmus__loc_declare(litmus_ps *ps, const litmus_tok *name, unsigned bytes, bool ptr, int *loc);
/* The canonical spelling ("EAX") of an X86 register name in any case, or NULL. */
const char *litmus__x86_reg(const litmus_tok *tok);
/* Spell the condition into t->cond_str (litmus_cond.c); SIM_ENOMEM or 0. */
int litmus__cond_render(litmus_test *t);

/* The dialects' code sections (after the init block, before the condition). */
int litmus__parse_x86(litmus_ps *ps);
int litmus__parse_aarch64(litmus_ps *ps);
/* An AArch64 register name (W or X 0-30) as its X name in buf, else false. */
bool litmus__a64_reg(const litmus_tok *tok, char buf[8]);
/* herd7's column layout: P0 | P1 ... ; then rows of cells, one per thread;
 * parse_cell(ps, tid) parses one (litmus_x86.c). */
int litmus__parse_columns(litmus_ps *ps, int (*parse_cell)(litmus_ps *ps, unsigned tid));
int litmus__parse_c(litmus_ps *ps);
/* True at the start of the final section (exists, ~, forall, locations, filter). */
bool litmus__at_final(const litmus_ps *ps);

#endif
