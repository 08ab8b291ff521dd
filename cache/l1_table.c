/* cache/l1_table.c -- the L1 controller's table.  Read it as the Primer's
 * MESI cache-controller table (its Table 8.3 family): one line per cell,
 * state x event -> next state and actions, in the order the actions run.
 *
 * Conventions the dispatcher (l1.c) adds, so the cells stay short:
 *   - next state I frees the frame;
 *   - a STALL cell keeps the event on the line, to be replayed by WAKE in
 *     arrival order; LOAD and STORE stall in every transient state except
 *     that loads hit in SM_AD and SM_A (the S copy is still valid);
 *   - the input port classifies DATA/DATA_LAST and ACK/ACK_LAST from the
 *     line's ack counters (gem5's Data vs Data_all_Acks), keeping counters
 *     out of the cells.
 * Cells left out are impossible; the dispatcher stops the run on one.
 * Why some are impossible (every link is FIFO, net.c):
 *   - Fwd-GetS/GetM and Recall reach only the line's owner, and the dir sent
 *     that core its data first, on the same link: never in I or IS_D.
 *   - In SM_AD the dir served the GetM from S, so it sent the data itself,
 *     before any later Fwd or Recall on the same link: SM_AD never meets
 *     them (the Primer stalls there, for unordered networks; here they
 *     would mean a link had reordered, and stop the run).
 *   - Inv reaches only a sharer, or a requester whose S copy is in SM_AD;
 *     a core in IS_D can meet an Inv that overtook data coming from the old
 *     owner on another link: it stalls.
 */
#include "proto.h"

const proto_cell l1_table[L1_NSTATES][L1_NEVENTS] = {
  [L1_I    ][L1E_LOAD]      = GO(L1_IS_D,  L1A_SEND_GETS, L1A_QUEUE),
  [L1_I    ][L1E_STORE]     = GO(L1_IM_AD, L1A_SEND_GETM, L1A_QUEUE),

  [L1_S    ][L1E_LOAD]      = GO(L1_S,     L1A_HIT),
  [L1_S    ][L1E_STORE]     = GO(L1_SM_AD, L1A_SEND_GETM, L1A_QUEUE),
  [L1_S    ][L1E_REPL]      = GO(L1_SI_A,  L1A_SEND_PUTS),
#ifndef MMSIM_BREAK_PROTOCOL
  [L1_S    ][L1E_INV]       = GO(L1_I,     L1A_SEND_INV_ACK),
#else /* the test build mmsim_broken: ack the Inv, keep the stale copy */
  [L1_S    ][L1E_INV]       = GO(L1_S,     L1A_SEND_INV_ACK),
#endif

  /* weak: the invalidate queue (McKenney's "Memory Barriers: a Hardware
   * View"): the Inv is acked at once, the copy stays readable, stale, until
   * the queue applies it; a store to the line applies it first. */
  [L1_S    ][L1E_INV_Q]     = GO(L1_S_Q,   L1A_SEND_INV_ACK, L1A_IQ_PUSH),
  [L1_S_Q  ][L1E_LOAD]      = GO(L1_S_Q,   L1A_HIT),
  [L1_S_Q  ][L1E_STORE]     = GO(L1_IM_AD, L1A_IQ_DROP, L1A_SEND_GETM, L1A_QUEUE),
  [L1_S_Q  ][L1E_REPL]      = GO(L1_I,     L1A_IQ_DROP),
  [L1_S_Q  ][L1E_IQ_APPLY]  = GO(L1_I),

  [L1_E    ][L1E_LOAD]      = GO(L1_E,     L1A_HIT),
  [L1_E    ][L1E_STORE]     = GO(L1_M,     L1A_HIT),
  [L1_E    ][L1E_REPL]      = GO(L1_EI_A,  L1A_SEND_PUTE),
  [L1_E    ][L1E_FWD_GETS]  = GO(L1_S,     L1A_DATA_TO_REQ, L1A_DATA_TO_DIR),
  [L1_E    ][L1E_FWD_GETM]  = GO(L1_I,     L1A_DATA_TO_REQ),
  [L1_E    ][L1E_RECALL]    = GO(L1_I,     L1A_DATA_TO_DIR),

  [L1_M    ][L1E_LOAD]      = GO(L1_M,     L1A_HIT),
  [L1_M    ][L1E_STORE]     = GO(L1_M,     L1A_HIT),
  [L1_M    ][L1E_REPL]      = GO(L1_MI_A,  L1A_SEND_PUTM),
  [L1_M    ][L1E_FWD_GETS]  = GO(L1_S,     L1A_DATA_TO_REQ, L1A_DATA_TO_DIR),
  [L1_M    ][L1E_FWD_GETM]  = GO(L1_I,     L1A_DATA_TO_REQ),
  [L1_M    ][L1E_RECALL]    = GO(L1_I,     L1A_DATA_TO_DIR),

  [L1_IS_D ][L1E_LOAD]      = STALL,
  [L1_IS_D ][L1E_STORE]     = STALL,
  [L1_IS_D ][L1E_INV]       = STALL,
  [L1_IS_D ][L1E_DATA_LAST] = GO(L1_S,     L1A_FILL, L1A_WAKE),
  [L1_IS_D ][L1E_DATA_E]    = GO(L1_E,     L1A_FILL, L1A_WAKE),

  [L1_IM_AD][L1E_LOAD]      = STALL,
  [L1_IM_AD][L1E_STORE]     = STALL,
  [L1_IM_AD][L1E_FWD_GETS]  = STALL,
  [L1_IM_AD][L1E_FWD_GETM]  = STALL,
  [L1_IM_AD][L1E_RECALL]    = STALL,
  [L1_IM_AD][L1E_DATA]      = GO(L1_IM_A,  L1A_FILL),
  [L1_IM_AD][L1E_DATA_LAST] = GO(L1_M,     L1A_FILL, L1A_WAKE),
  [L1_IM_AD][L1E_ACK]       = GO(L1_IM_AD),

  [L1_IM_A ][L1E_LOAD]      = STALL,
  [L1_IM_A ][L1E_STORE]     = STALL,
  [L1_IM_A ][L1E_FWD_GETS]  = STALL,
  [L1_IM_A ][L1E_FWD_GETM]  = STALL,
  [L1_IM_A ][L1E_RECALL]    = STALL,
  [L1_IM_A ][L1E_ACK]       = GO(L1_IM_A),
  [L1_IM_A ][L1E_ACK_LAST]  = GO(L1_M,     L1A_WAKE),

  [L1_SM_AD][L1E_LOAD]      = GO(L1_SM_AD, L1A_HIT),
  [L1_SM_AD][L1E_STORE]     = STALL,
  [L1_SM_AD][L1E_INV]       = GO(L1_IM_AD, L1A_SEND_INV_ACK),
  [L1_SM_AD][L1E_DATA]      = GO(L1_SM_A,  L1A_FILL),
  [L1_SM_AD][L1E_DATA_LAST] = GO(L1_M,     L1A_FILL, L1A_WAKE),
  [L1_SM_AD][L1E_ACK]       = GO(L1_SM_AD),

  [L1_SM_A ][L1E_LOAD]      = GO(L1_SM_A,  L1A_HIT),
  [L1_SM_A ][L1E_STORE]     = STALL,
  [L1_SM_A ][L1E_FWD_GETS]  = STALL,
  [L1_SM_A ][L1E_FWD_GETM]  = STALL,
  [L1_SM_A ][L1E_RECALL]    = STALL,
  [L1_SM_A ][L1E_ACK]       = GO(L1_SM_A),
  [L1_SM_A ][L1E_ACK_LAST]  = GO(L1_M,     L1A_WAKE),

  [L1_MI_A ][L1E_LOAD]      = STALL,
  [L1_MI_A ][L1E_STORE]     = STALL,
  [L1_MI_A ][L1E_FWD_GETS]  = GO(L1_SI_A,  L1A_DATA_TO_REQ, L1A_DATA_TO_DIR),
  [L1_MI_A ][L1E_FWD_GETM]  = GO(L1_II_A,  L1A_DATA_TO_REQ),
  [L1_MI_A ][L1E_RECALL]    = GO(L1_II_A,  L1A_DATA_TO_DIR),
  [L1_MI_A ][L1E_PUT_ACK]   = GO(L1_I,     L1A_WAKE),

  [L1_EI_A ][L1E_LOAD]      = STALL,
  [L1_EI_A ][L1E_STORE]     = STALL,
  [L1_EI_A ][L1E_FWD_GETS]  = GO(L1_SI_A,  L1A_DATA_TO_REQ, L1A_DATA_TO_DIR),
  [L1_EI_A ][L1E_FWD_GETM]  = GO(L1_II_A,  L1A_DATA_TO_REQ),
  [L1_EI_A ][L1E_RECALL]    = GO(L1_II_A,  L1A_DATA_TO_DIR),
  [L1_EI_A ][L1E_PUT_ACK]   = GO(L1_I,     L1A_WAKE),

  [L1_SI_A ][L1E_LOAD]      = STALL,
  [L1_SI_A ][L1E_STORE]     = STALL,
  [L1_SI_A ][L1E_INV]       = GO(L1_II_A,  L1A_SEND_INV_ACK),
  [L1_SI_A ][L1E_PUT_ACK]   = GO(L1_I,     L1A_WAKE),

  [L1_II_A ][L1E_LOAD]      = STALL,
  [L1_II_A ][L1E_STORE]     = STALL,
  [L1_II_A ][L1E_PUT_ACK]   = GO(L1_I,     L1A_WAKE),
};

#define X(n, d) #n,
const char *const l1_state_name[L1_NSTATES] = {L1_STATES(X)};
const char *const l1_event_name[L1_NEVENTS] = {L1_EVENTS(X)};
const char *const l1_action_name[L1_NACTIONS] = {L1_ACTIONS(X)};
#undef X
#define X(n, d) d,
const char *const l1_state_doc[L1_NSTATES] = {L1_STATES(X)};
#undef X
