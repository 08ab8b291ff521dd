/* cpu/thread.c -- see thread.h. */
#include "thread.h"

#include <stdint.h>
#include <stdlib.h>

/* Boost.Context's C ABI (boost/context/detail/fcontext.hpp is C++ only). */
typedef void *fcontext_t;
typedef struct { fcontext_t fctx; void *data; } transfer_t;
extern transfer_t jump_fcontext(fcontext_t const to, void *vp);
extern fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

#if defined(__SANITIZE_ADDRESS__)
#define MMSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MMSIM_ASAN 1
#endif
#endif

#ifdef MMSIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

struct cpu_thread {
  fcontext_t self;   /* where the coroutine resumes */
  fcontext_t caller; /* where it yields to */
  cpu_thread_fn fn;
  void *arg;
  bool done;
  void *stack;
  size_t stack_bytes;
#ifdef MMSIM_ASAN
  void *caller_fake, *thread_fake; /* ASan's fake stacks, one per side */
  const void *caller_bottom;
  size_t caller_size;
#endif
};

cpu_thread *cpu_thread_new(size_t stack_bytes) {
#ifdef MMSIM_ASAN
  stack_bytes *= 4; /* instrumented frames are larger */
#endif
  cpu_thread *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  stack_bytes = (stack_bytes + 63) & ~(size_t)63;
  t->stack = aligned_alloc(64, stack_bytes);
  if (!t->stack) {
    free(t);
    return NULL;
  }
  t->stack_bytes = stack_bytes;
  t->done = true;
  return t;
}

void cpu_thread_free(cpu_thread *t) {
  if (!t) return;
  free(t->stack);
  free(t);
}

/* Sanitizer hooks: no-ops in a normal build. */
static inline void switch_to_thread(cpu_thread *t) {
#ifdef MMSIM_ASAN
  __sanitizer_start_switch_fiber(&t->caller_fake, t->stack, t->stack_bytes);
#else
  (void)t;
#endif
}
static inline void arrived_in_thread(cpu_thread *t) {
#ifdef MMSIM_ASAN
  __sanitizer_finish_switch_fiber(t->thread_fake, &t->caller_bottom, &t->caller_size);
#else
  (void)t;
#endif
}
static inline void switch_to_caller(cpu_thread *t, bool finishing) {
#ifdef MMSIM_ASAN
  /* A finishing coroutine's fake stack is dropped (NULL), as ASan asks. */
  __sanitizer_start_switch_fiber(finishing ? NULL : &t->thread_fake,
                                 t->caller_bottom, t->caller_size);
#else
  (void)t, (void)finishing;
#endif
}
static inline void arrived_in_caller(cpu_thread *t) {
#ifdef MMSIM_ASAN
  __sanitizer_finish_switch_fiber(t->caller_fake, NULL, NULL);
#else
  (void)t;
#endif
}

static void trampoline(transfer_t tr) {
  cpu_thread *t = tr.data;
  t->caller = tr.fctx;
  arrived_in_thread(t);
  t->fn(t->arg);
  t->done = true;
  switch_to_caller(t, true);
  jump_fcontext(t->caller, NULL); /* never comes back (T2) */
  abort();
}

void cpu_thread_start(cpu_thread *t, cpu_thread_fn fn, void *arg) {
#ifdef MMSIM_ASAN
  /* Frames abandoned by the previous run may still be poisoned. */
  ASAN_UNPOISON_MEMORY_REGION(t->stack, t->stack_bytes);
  t->thread_fake = NULL;
#endif
  t->fn = fn;
  t->arg = arg;
  t->done = false;
  t->self = make_fcontext((char *)t->stack + t->stack_bytes, t->stack_bytes, trampoline);
}

bool cpu_thread_resume(cpu_thread *t) {
  switch_to_thread(t);
  transfer_t tr = jump_fcontext(t->self, t);
  arrived_in_caller(t);
  t->self = tr.fctx;
  return t->done;
}

void cpu_thread_yield(cpu_thread *t) {
  switch_to_caller(t, false);
  transfer_t tr = jump_fcontext(t->caller, NULL);
  t->caller = tr.fctx;
  arrived_in_thread(t);
}

bool cpu_thread_done(const cpu_thread *t) { return t->done; }
