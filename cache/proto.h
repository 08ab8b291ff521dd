/* cache/proto.h -- the MESI protocol's vocabulary: messages, states, events,
 * actions, and the shape of a table cell.
 *
 * Names follow the Primer (Nagarajan, Sorin, Hill and Wood, "A Primer on
 * Memory Consistency and Cache Coherence", 2nd ed., ch. 8, the MESI
 * directory protocol): a transient state spells its path and what it waits
 * for, IM_AD being I->M waiting for Acks and Data.  Each list is defined once
 * as an X-macro; the enums and the name tables are expansions of it.
 *
 * The tables themselves are in l1_table.c and dir_table.c; `mmsim protocol`
 * prints them from the same arrays the simulator runs, and proto_check.c
 * checks them as data.
 */
#ifndef MMSIM_CACHE_PROTO_H
#define MMSIM_CACHE_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* --- Messages on the interconnect ---------------------------------------- */

#define NET_MSGS(X)                                                        \
  X(GETS,     "L1->dir: read miss")                                        \
  X(GETM,     "L1->dir: write miss or upgrade")                            \
  X(PUTS,     "L1->dir: clean eviction of an S line")                      \
  X(PUTE,     "L1->dir: clean eviction of an E line (no data)")            \
  X(PUTM,     "L1->dir: dirty eviction, with data")                        \
  X(FWD_GETS, "dir->owner: send data to the reader and to the dir")        \
  X(FWD_GETM, "dir->owner: send data to the writer, invalidate")          \
  X(RECALL,   "dir->owner: LLC eviction, send data to the dir, invalidate") \
  X(INV,      "dir->sharer: invalidate, ack to the requester")             \
  X(PUT_ACK,  "dir->L1: eviction done")                                    \
  X(DATA,     "to the requester, with the number of acks to expect")      \
  X(DATA_E,   "dir->requester: data, exclusive (no other copy)")           \
  X(DATA_DIR, "owner->dir: data after a Fwd-GetS or a recall")             \
  X(INV_ACK,  "sharer->requester: invalidated")

typedef enum {
#define X(n, d) MSG_##n,
  NET_MSGS(X)
#undef X
  MSG_NTYPES
} net_msg_type;
extern const char *const net_msg_name[MSG_NTYPES], *const net_msg_doc[MSG_NTYPES];

/* --- Cells ---------------------------------------------------------------- */

/* A cell left out of a table is all zeros: CELL_IMPOSSIBLE. */
typedef enum { CELL_IMPOSSIBLE, CELL_GO, CELL_STALL } cell_kind;

#define CELL_MAX_ACTIONS 5

typedef struct proto_cell {
  uint8_t kind, next;
  uint8_t act[CELL_MAX_ACTIONS]; /* ends at the first 0 (A_NONE) */
} proto_cell;

/* Cell constructors for the tables (STYLE.md section 4). */
#define GO(next, ...) { CELL_GO, (next), { __VA_ARGS__ } }
#define STALL         { CELL_STALL, 0, { 0 } }

/* --- The L1 (private cache) controller ------------------------------------ */

#define L1_STATES(X)                                                      \
  X(I,     "invalid (free frame)")                                        \
  X(S,     "shared, read-only")                                           \
  X(E,     "exclusive, clean: a store upgrades to M silently")            \
  X(M,     "modified")                                                    \
  X(S_Q,   "S whose Inv was acked and waits in the invalidate queue: loads hit the stale copy") \
  X(IS_D,  "I->S: GetS sent, waiting for data")                           \
  X(IM_AD, "I->M: GetM sent, waiting for data and acks")                  \
  X(IM_A,  "I->M: have data, waiting for acks")                           \
  X(SM_AD, "S->M: GetM sent, waiting for data and acks; loads hit")       \
  X(SM_A,  "S->M: have data, waiting for acks; loads hit")                \
  X(MI_A,  "M->I: PutM sent, waiting for PutAck")                         \
  X(EI_A,  "E->I: PutE sent, waiting for PutAck")                         \
  X(SI_A,  "S->I: PutS sent, waiting for PutAck")                         \
  X(II_A,  "->I: data given away, waiting for PutAck")

#define L1_EVENTS(X)                                                      \
  X(LOAD,      "load from the core")                                      \
  X(STORE,     "store, RMW or CAS from the core")                         \
  X(REPL,      "replacement: the frame is wanted for another line")       \
  X(FWD_GETS,  "Fwd-GetS")                                                \
  X(FWD_GETM,  "Fwd-GetM")                                                \
  X(RECALL,    "Recall (LLC eviction)")                                   \
  X(INV,       "Inv")                                                     \
  X(INV_Q,     "Inv on an S line of a core with an invalidate queue")     \
  X(IQ_APPLY,  "the invalidate queue applies this line's Inv")           \
  X(DATA,      "data, acks still owed")                                   \
  X(DATA_LAST, "data, no acks owed")                                      \
  X(DATA_E,    "exclusive data")                                          \
  X(ACK,       "inv ack, more owed or data not yet here")                 \
  X(ACK_LAST,  "the last inv ack")                                        \
  X(PUT_ACK,   "PutAck")

#define L1_ACTIONS(X)                                                     \
  X(NONE,         "")                                                     \
  X(SEND_GETS,    "send GetS to the dir")                                 \
  X(SEND_GETM,    "send GetM to the dir")                                 \
  X(SEND_PUTS,    "send PutS to the dir")                                 \
  X(SEND_PUTE,    "send PutE to the dir")                                 \
  X(SEND_PUTM,    "send PutM with data to the dir")                       \
  X(QUEUE,        "keep the request until the line is stable")            \
  X(HIT,          "perform the core's access on the line")                \
  X(FILL,         "copy the message's data into the line")                \
  X(DATA_TO_REQ,  "send data to the forwarded request's requester")      \
  X(DATA_TO_DIR,  "send data to the dir")                                 \
  X(SEND_INV_ACK, "send an inv ack to the requester")                    \
  X(IQ_PUSH,      "queue the Inv (applying the oldest first if full)")    \
  X(IQ_DROP,      "take the line's Inv out of the queue")                 \
  X(WAKE,         "replay what stalled on the line")

typedef enum {
#define X(n, d) L1_##n,
  L1_STATES(X)
#undef X
  L1_NSTATES
} l1_state;
typedef enum {
#define X(n, d) L1E_##n,
  L1_EVENTS(X)
#undef X
  L1_NEVENTS
} l1_event;
typedef enum {
#define X(n, d) L1A_##n,
  L1_ACTIONS(X)
#undef X
  L1_NACTIONS
} l1_action;

extern const proto_cell l1_table[L1_NSTATES][L1_NEVENTS];
extern const char *const l1_state_name[L1_NSTATES], *const l1_state_doc[L1_NSTATES];
extern const char *const l1_event_name[L1_NEVENTS];
extern const char *const l1_action_name[L1_NACTIONS];

/* --- The directory (at the shared, inclusive LLC) ------------------------- */

#define DIR_STATES(X)                                                     \
  X(NP,    "not present in the LLC (free frame)")                         \
  X(I,     "in the LLC, no private copy")                                 \
  X(S,     "shared by the cores in the sharer vector")                    \
  X(EM,    "one owner in E or M (E->M is silent, so the dir can't tell)") \
  X(S_D,   "EM->S: Fwd-GetS sent, waiting for the owner's data")          \
  X(NI_D,  "NP->I: read from memory, waiting for the data")               \
  X(SN_A,  "S->NP: LLC eviction, Invs sent, waiting for acks")            \
  X(MN_D,  "EM->NP: LLC eviction, Recall sent, waiting for data")        \
  X(I_D,   "S_D after every sharer left: ->I, waiting for the owner's data")

#define DIR_EVENTS(X)                                                     \
  X(GETS,         "GetS")                                                 \
  X(GETM,         "GetM")                                                 \
  X(PUTS,         "Put from a sharer, others remain")                     \
  X(PUTS_LAST,    "Put from the last sharer")                             \
  X(PUTE,         "PutE from the owner")                                  \
  X(PUTM,         "PutM from the owner")                                  \
  X(PUT_STALE,    "Put from a core that is neither owner nor sharer")     \
  X(DATA_DIR,     "data from the owner")                                  \
  X(INV_ACK,      "inv ack of a recall, more owed")                       \
  X(INV_ACK_LAST, "last inv ack of a recall")                             \
  X(MEM_DATA,     "data from memory")                                     \
  X(REPL,         "replacement: the frame is wanted for another line")

#define DIR_ACTIONS(X)                                                    \
  X(NONE,           "")                                                   \
  X(SEND_DATA,      "send data to the requester, no acks")                \
  X(SEND_DATA_E,    "send exclusive data to the requester")               \
  X(SEND_DATA_ACKS, "send data with the count of other sharers")          \
  X(SEND_INVS,      "send Inv to the other sharers, acks to the requester") \
  X(FWD_GETS,       "send Fwd-GetS to the owner")                         \
  X(FWD_GETM,       "send Fwd-GetM to the owner")                         \
  X(RECALL,         "send Recall to the owner")                           \
  X(INV_ALL,        "send Inv to every sharer, acks to the dir")          \
  X(PUT_ACK,        "send PutAck to the sender")                          \
  X(SET_OWNER,      "owner := requester")                                 \
  X(CLEAR_OWNER,    "owner := none")                                      \
  X(OWNER_TO_SHARER,"sharers := {owner}, owner := none")                  \
  X(ADD_SHARER,     "add the requester to the sharers")                   \
  X(REMOVE_SHARER,  "remove the sender from the sharers")                 \
  X(CLEAR_SHARERS,  "sharers := {}")                                      \
  X(COPY_DATA,      "copy the message's data into the LLC (dirty)")       \
  X(MEM_READ,       "read the line from memory")                          \
  X(MEM_FILL,       "copy memory's data into the LLC")                    \
  X(WRITEBACK,      "write the LLC's line to memory if dirty")            \
  X(QUEUE,          "keep the request until the line is stable")          \
  X(WAKE,           "replay what stalled on the line")

typedef enum {
#define X(n, d) DIR_##n,
  DIR_STATES(X)
#undef X
  DIR_NSTATES
} dir_state;
typedef enum {
#define X(n, d) DIRE_##n,
  DIR_EVENTS(X)
#undef X
  DIR_NEVENTS
} dir_event;
typedef enum {
#define X(n, d) DIRA_##n,
  DIR_ACTIONS(X)
#undef X
  DIR_NACTIONS
} dir_action;

extern const proto_cell dir_table[DIR_NSTATES][DIR_NEVENTS];
extern const char *const dir_state_name[DIR_NSTATES], *const dir_state_doc[DIR_NSTATES];
extern const char *const dir_event_name[DIR_NEVENTS];
extern const char *const dir_action_name[DIR_NACTIONS];

/* A state is stable when a core's access can complete in it (L1) or a new
 * request can be served in it (dir); the others are transient. */
static inline int l1_stable(unsigned s) { return s <= L1_S_Q; }
static inline int dir_stable(unsigned s) { return s <= DIR_EM; }

/* --- Printing (proto_print.c): `mmsim protocol` ------------------------- */

#include <stdio.h>

typedef struct proto_counts {
  uint64_t l1[L1_NSTATES][L1_NEVENTS];
  uint64_t dir[DIR_NSTATES][DIR_NEVENTS];
} proto_counts;

/* Add a run's metric "proto.l1.STATE.EVENT" or "proto.dir..." to c. */
void proto_counts_add(proto_counts *c, const char *key, double value);
/* Both tables, one line per possible cell; with fired, each cell's count. */
void proto_print(FILE *out, const proto_counts *fired);

/* --- Checking the tables as data (proto_check.c) --------------------------- */

/* Check two tables shaped like l1_table and dir_table (row-major, from their
 * first cell): unused actions, unreachable states, transient states that
 * never settle, WAKE/STALL/QUEUE where the dispatchers do not expect them
 * (PC1..PC7 in proto_check.c).  Returns the number of problems and
 * describes each on one line in buf (cut short to n bytes, NUL-terminated
 * when n > 0; the count stays exact).  Taking the tables as arguments lets a
 * test check a deliberately broken copy. */
int cache_proto_check_tables(const proto_cell *l1, const proto_cell *dir, char *buf, size_t n);
/* The same for the tables the simulator runs. */
int cache_proto_check(char *buf, size_t n);

#endif
