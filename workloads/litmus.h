/* workloads/litmus.h -- litmus tests in herd7's format: parse, run, judge.
 *
 * Two dialects: X86 (MOV, MFENCE, XCHG, LOCK ADD/INC/XADD) and the C dialect
 * of Linux's LKMM tests (READ_ONCE, WRITE_ONCE, smp_mb/wmb/rmb,
 * smp_store_release, smp_load_acquire, xchg{,_relaxed,_acquire,_release},
 * atomic_inc/add/read/set, local int variables, simple if).  A parsed test is
 * immutable; running it is reentrant, so many iterations and threads share one.
 *
 * A thread runs as ordinary C code over the mem API (workloads/mem.h): the
 * interpreter calls mem_load/mem_store/... for every shared access, so the
 * same test runs in the simulator and natively.
 *
 * The outcome of an iteration is the vector of *observed* values: every
 * register and location named in the final condition, then those of a
 * `locations [...]` line, in order of first appearance.
 *
 * Expected results live in the test's leading comment, one line
 *     Result: sc=Never tso=Sometimes pso=Sometimes weak=Sometimes
 * meaning how often the condition's body holds under each model.
 *
 * Invariants:
 *   L1  litmus_thread_run() touches shared memory only through the port.
 *   L2  Errors name file:line:column; anything the interpreter cannot run is
 *       refused at parse time, never skipped.
 */
#ifndef MMSIM_WORKLOADS_LITMUS_H
#define MMSIM_WORKLOADS_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/err.h"
#include "mem.h"

typedef struct litmus_test litmus_test; /* opaque, litmus_int.h */

typedef enum { LITMUS_EXISTS, LITMUS_NOT_EXISTS, LITMUS_FORALL } litmus_quant;

typedef enum {
  LITMUS_EXPECT_UNKNOWN = 0,
  LITMUS_EXPECT_NEVER,
  LITMUS_EXPECT_SOMETIMES,
  LITMUS_EXPECT_ALWAYS
} litmus_expect;

#define LITMUS_MAX_THREADS 8
#define LITMUS_MAX_LOCS 16
#define LITMUS_MAX_REGS 16 /* per thread */
#define LITMUS_MAX_OBS 32

/* Lifetime.  Errors: SIM_EIO (cannot read), SIM_ESYNTAX (file:line:col),
 * SIM_EUNSUP (valid herd7 syntax this interpreter cannot run). */
int litmus_parse_file(const char *path, litmus_test **out, sim_err *err);
int litmus_parse_string(const char *fname, const char *text, litmus_test **out, sim_err *err);
void litmus_free(litmus_test *t);

/* Shape */
const char *litmus_name(const litmus_test *t);  /* "SB" */
const char *litmus_arch(const litmus_test *t);  /* "X86", "AArch64" or "C" */
/* The model a test runs under unless told: arm for AArch64, else tso. */
const char *litmus_model(const litmus_test *t);
const char *litmus_path(const litmus_test *t);  /* as given to parse */
const char *litmus_source(const litmus_test *t); /* the text it was parsed from */
unsigned litmus_nthreads(const litmus_test *t);
unsigned litmus_nlocs(const litmus_test *t);
const char *litmus_loc_name(const litmus_test *t, unsigned i);
/* Location i is a spinlock's word: some thread's spin_lock names it. */
bool litmus_loc_is_lock(const litmus_test *t, unsigned i);
unsigned litmus_loc_size(const litmus_test *t, unsigned i);   /* bytes: 4 for int */
uint64_t litmus_loc_init(const litmus_test *t, unsigned i);   /* truncated to size */
unsigned litmus_nregs(const litmus_test *t, unsigned tid);

/* Running.  loc[i] is where location i lives (already holding its initial
 * value); regs has litmus_nregs(t, tid) slots and is initialised here. */
void litmus_thread_run(const litmus_test *t, unsigned tid, mem_port *p,
                       void *const *loc, int64_t *regs);

/* Outcomes.  mem[i] is the final raw value of location i (zero-extended);
 * regs[tid] the final registers of thread tid. */
unsigned litmus_nobs(const litmus_test *t);
void litmus_observe(const litmus_test *t, int64_t *const *regs, const uint64_t *mem,
                    int64_t *vals);
/* "0:EAX=0; 1:EAX=0;" (herd7's spelling); returns strlen, like snprintf. */
size_t litmus_outcome_format(const litmus_test *t, const int64_t *vals, char *buf, size_t n);
bool litmus_cond_eval(const litmus_test *t, const int64_t *vals); /* the body */
litmus_quant litmus_quantifier(const litmus_test *t);
const char *litmus_cond_str(const litmus_test *t); /* "exists (0:EAX=0 /\ 1:EAX=0)" */

/* Expectations from the "Result:" line; model is "sc", "tso", "pso", "weak". */
litmus_expect litmus_expected(const litmus_test *t, const char *model);
const char *litmus_expect_name(litmus_expect e); /* "Never", ... */

/* Insert a fence of kind k before instruction pc of thread tid (pc = the
 * thread's instruction count appends it), as mmsim explain's fixes do;
 * SIM_EINVAL out of range, SIM_ENOMEM. */
int litmus_insert_fence(litmus_test *t, unsigned tid, unsigned pc, mem_fence_kind k);
/* Instruction pc of thread tid's source line and column (0 if none). */
void litmus_insn_pos(const litmus_test *t, unsigned tid, unsigned pc, unsigned *line,
                     unsigned *col);

#endif
