/* cache/dir_table.c -- the directory controller's table, at the shared LLC.
 * Read it as the Primer's MESI directory table (its Table 8.4 family), with
 * the LLC's own states added: the LLC is inclusive, so a line must be read
 * from memory before the dir can serve it (NP -> NI_D -> I), and evicting a
 * line that cores still hold recalls it first (SN_A, MN_D).
 *
 * Conventions the dispatcher (dir.c) adds:
 *   - the requester of GetS/GetM is the message's sender; the acks of a
 *     GetM go to the requester, those of a recall to the dir;
 *   - next state NP frees the frame;
 *   - a STALL cell queues the request on the line, in arrival order, until
 *     WAKE replays it (the race-free choice: a request is only ever served
 *     in a stable state, and a busy line blocks only itself, not the
 *     directory's input as a stalled queue head would);
 *   - the input port classifies a Put by what the sender is now: owner
 *     (PUTE, PUTM), sharer (PUTS, PUTS_LAST: a PutM from the old owner after
 *     a Fwd-GetS counts here, its data is already on its way), or neither
 *     (PUT_STALE: it lost the line to a forwarded request or an Inv while
 *     its Put was in flight); and INV_ACK/INV_ACK_LAST by the ack counter.
 *   - S_D can meet the last sharer's Put: the old owner's PutM (sent before
 *     the Fwd-GetS reached it) removes it, and the reader, already served
 *     by the old owner, evicts its S copy; that PutS, on its own link, may
 *     overtake the old owner's data.  No copy is left, so the line waits in
 *     I_D for the data and settles in I (S with no sharers would break D1,
 *     and a later recall of it would wait for acks nobody sends).
 *     tests/cache/test_races.c scripts this order.
 * A GetS or GetM for a line not in the LLC takes a frame first; when the set
 * has none free the dispatcher evicts (REPL) and the request waits for the
 * frame.
 */
#include "proto.h"

const proto_cell dir_table[DIR_NSTATES][DIR_NEVENTS] = {
  [DIR_NP  ][DIRE_GETS]         = GO(DIR_NI_D, DIRA_MEM_READ, DIRA_QUEUE),
  [DIR_NP  ][DIRE_GETM]         = GO(DIR_NI_D, DIRA_MEM_READ, DIRA_QUEUE),
  [DIR_NP  ][DIRE_PUT_STALE]    = GO(DIR_NP,   DIRA_PUT_ACK),

  [DIR_I   ][DIRE_GETS]         = GO(DIR_EM,   DIRA_SEND_DATA_E, DIRA_SET_OWNER),
  [DIR_I   ][DIRE_GETM]         = GO(DIR_EM,   DIRA_SEND_DATA, DIRA_SET_OWNER),
  [DIR_I   ][DIRE_PUT_STALE]    = GO(DIR_I,    DIRA_PUT_ACK),
  [DIR_I   ][DIRE_REPL]         = GO(DIR_NP,   DIRA_WRITEBACK),

  [DIR_S   ][DIRE_GETS]         = GO(DIR_S,    DIRA_SEND_DATA, DIRA_ADD_SHARER),
  [DIR_S   ][DIRE_GETM]         = GO(DIR_EM,   DIRA_SEND_DATA_ACKS, DIRA_SEND_INVS,
                                     DIRA_CLEAR_SHARERS, DIRA_SET_OWNER),
  [DIR_S   ][DIRE_PUTS]         = GO(DIR_S,    DIRA_REMOVE_SHARER, DIRA_PUT_ACK),
  [DIR_S   ][DIRE_PUTS_LAST]    = GO(DIR_I,    DIRA_REMOVE_SHARER, DIRA_PUT_ACK),
  [DIR_S   ][DIRE_PUT_STALE]    = GO(DIR_S,    DIRA_PUT_ACK),
  [DIR_S   ][DIRE_REPL]         = GO(DIR_SN_A, DIRA_INV_ALL),

  [DIR_EM  ][DIRE_GETS]         = GO(DIR_S_D,  DIRA_FWD_GETS, DIRA_OWNER_TO_SHARER,
                                     DIRA_ADD_SHARER),
  [DIR_EM  ][DIRE_GETM]         = GO(DIR_EM,   DIRA_FWD_GETM, DIRA_SET_OWNER),
  [DIR_EM  ][DIRE_PUTE]         = GO(DIR_I,    DIRA_CLEAR_OWNER, DIRA_PUT_ACK),
  [DIR_EM  ][DIRE_PUTM]         = GO(DIR_I,    DIRA_COPY_DATA, DIRA_CLEAR_OWNER, DIRA_PUT_ACK),
  [DIR_EM  ][DIRE_PUT_STALE]    = GO(DIR_EM,   DIRA_PUT_ACK),
  [DIR_EM  ][DIRE_REPL]         = GO(DIR_MN_D, DIRA_RECALL),

  [DIR_S_D ][DIRE_GETS]         = STALL,
  [DIR_S_D ][DIRE_GETM]         = STALL,
  [DIR_S_D ][DIRE_PUTS]         = GO(DIR_S_D,  DIRA_REMOVE_SHARER, DIRA_PUT_ACK),
  [DIR_S_D ][DIRE_PUTS_LAST]    = GO(DIR_I_D,  DIRA_REMOVE_SHARER, DIRA_PUT_ACK),
  [DIR_S_D ][DIRE_PUT_STALE]    = GO(DIR_S_D,  DIRA_PUT_ACK),
  [DIR_S_D ][DIRE_DATA_DIR]     = GO(DIR_S,    DIRA_COPY_DATA, DIRA_WAKE),

  [DIR_I_D ][DIRE_GETS]         = STALL,
  [DIR_I_D ][DIRE_GETM]         = STALL,
  [DIR_I_D ][DIRE_PUT_STALE]    = GO(DIR_I_D,  DIRA_PUT_ACK),
  [DIR_I_D ][DIRE_DATA_DIR]     = GO(DIR_I,    DIRA_COPY_DATA, DIRA_WAKE),

  [DIR_NI_D][DIRE_GETS]         = STALL,
  [DIR_NI_D][DIRE_GETM]         = STALL,
  [DIR_NI_D][DIRE_PUT_STALE]    = GO(DIR_NI_D, DIRA_PUT_ACK),
  [DIR_NI_D][DIRE_MEM_DATA]     = GO(DIR_I,    DIRA_MEM_FILL, DIRA_WAKE),

  [DIR_SN_A][DIRE_GETS]         = STALL,
  [DIR_SN_A][DIRE_GETM]         = STALL,
  [DIR_SN_A][DIRE_PUTS]         = GO(DIR_SN_A, DIRA_PUT_ACK),
  [DIR_SN_A][DIRE_PUTS_LAST]    = GO(DIR_SN_A, DIRA_PUT_ACK),
  [DIR_SN_A][DIRE_PUT_STALE]    = GO(DIR_SN_A, DIRA_PUT_ACK),
  [DIR_SN_A][DIRE_INV_ACK]      = GO(DIR_SN_A),
  [DIR_SN_A][DIRE_INV_ACK_LAST] = GO(DIR_NP,   DIRA_WRITEBACK, DIRA_WAKE),

  [DIR_MN_D][DIRE_GETS]         = STALL,
  [DIR_MN_D][DIRE_GETM]         = STALL,
  [DIR_MN_D][DIRE_PUTE]         = GO(DIR_MN_D, DIRA_PUT_ACK),
  [DIR_MN_D][DIRE_PUTM]         = GO(DIR_MN_D, DIRA_PUT_ACK),
  [DIR_MN_D][DIRE_PUT_STALE]    = GO(DIR_MN_D, DIRA_PUT_ACK),
  [DIR_MN_D][DIRE_DATA_DIR]     = GO(DIR_NP,   DIRA_COPY_DATA, DIRA_WRITEBACK, DIRA_WAKE),
};

#define X(n, d) #n,
const char *const dir_state_name[DIR_NSTATES] = {DIR_STATES(X)};
const char *const dir_event_name[DIR_NEVENTS] = {DIR_EVENTS(X)};
const char *const dir_action_name[DIR_NACTIONS] = {DIR_ACTIONS(X)};
const char *const net_msg_name[MSG_NTYPES] = {NET_MSGS(X)};
#undef X
#define X(n, d) d,
const char *const dir_state_doc[DIR_NSTATES] = {DIR_STATES(X)};
const char *const net_msg_doc[MSG_NTYPES] = {NET_MSGS(X)};
#undef X
