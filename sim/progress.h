/* sim/progress.h -- progress of a long single run, and Ctrl-C to end it.
 *
 * The iteration loops of the simulator (litmus_run.c, scenario_sim.c) call
 * SIM_PROGRESS_POLL once per iteration.  Its cost is one load of a
 * volatile flag: the clock is never read per iteration.  The flag is set
 * only by signal handlers: SIGALRM, every PROGRESS_PERIOD_MS and only when
 * stderr is a terminal, asks for a progress line (iterations, rate, time
 * left); SIGINT asks the loop to stop after the current iteration, so the
 * run keeps the iterations actually done and the caller stores it.
 *
 * The flag is a global: a signal handler cannot reach a context.  It is the
 * same justified exception as the native runner's start barrier.
 *
 * Invariants:
 *   P1  Without sim_progress_begin nothing is installed and the flag stays
 *       0: library users and tests see plain loops.
 *   P2  The first SIGINT stops the loop; the handler then reverts to the
 *       default, so a second Ctrl-C kills the process at once.
 *   P3  Nothing is printed when stderr is not a terminal.
 */
#ifndef MMSIM_SIM_PROGRESS_H
#define MMSIM_SIM_PROGRESS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

extern volatile sig_atomic_t sim_progress_flag; /* nonzero: call sim_progress_poll */

/* In a loop after iteration `done` (of `total`) finished; true: stop. */
#define SIM_PROGRESS_POLL(done, total) \
  (sim_progress_flag && sim_progress_poll((done), (total)))

/* Session: install SIGINT (and, on a terminal, the SIGALRM ticker) for a
 * command's runs; end removes them and clears the progress line. */
void sim_progress_begin(void);
void sim_progress_end(void);

/* One loop (one run): what the progress line names, e.g. "SB tso". */
void sim_progress_loop(const char *label, uint64_t total);

bool sim_progress_poll(uint64_t done, uint64_t total); /* slow path of the macro */
bool sim_progress_interrupted(void);                   /* SIGINT seen since begin */
uint64_t sim_progress_kept(void); /* iterations the stopped loop had done */
void sim_progress_keep(uint64_t done); /* a parallel loop's, once its workers stopped */

#endif
