/* cache/net.h -- the interconnect: point-to-point links between nodes.
 *
 * Nodes are the cores' private caches (0 .. cores-1) and the directory
 * (node `cores`).  Every ordered pair of nodes has a link.  A message sent
 * at cycle t arrives at
 *     max(t + extra + net.latency + jitter, link's last arrival + link_cycles)
 * where jitter is U[0, net.jitter] drawn from the sender's stream (seeded per
 * iteration) and extra is the sender's own processing delay.  The max makes
 * every link FIFO and serialises it: one message per link every
 * net.link_cycles cycles.
 *
 * FIFO links are what the protocol tables assume (the Primer's point-to-point
 * ordering): a forwarded request or Inv never overtakes data or a PutAck the
 * dir sent earlier to the same core.  Messages on different links may still
 * overtake each other, and the tables handle those races.
 *
 * Invariants:
 *   N1  Two messages on one link arrive in the order they were sent.
 *   N2  Every message sent is delivered exactly once (deliver callback).
 */
#ifndef MMSIM_CACHE_NET_H
#define MMSIM_CACHE_NET_H

#include <stdint.h>

#include "../sim/engine.h"
#include "../sim/rng.h"
#include "proto.h"

typedef struct net_msg {
  struct net_msg *next; /* free list */
  uint64_t addr;        /* the line */
  uint16_t type, src, dst, req; /* req: who acks and data go to */
  uint32_t acks;        /* DATA: invalidation acks the requester must collect */
  uint8_t data[];       /* line_bytes, for the messages that carry data */
} net_msg;

typedef void (*net_deliver_fn)(void *ctx, net_msg *m);
/* An observer of every send, for traces and the directed tests. */
typedef void (*net_tap_fn)(void *ctx, const net_msg *m, uint64_t arrival);

typedef struct net_params {
  unsigned nodes, line_bytes;
  uint64_t latency, jitter, link_cycles;
} net_params;

typedef struct net {
  net_params p;
  sim_engine *sim;
  net_deliver_fn deliver;
  void *ctx;
  net_tap_fn tap;
  void *tap_ctx;
  uint64_t *link_free; /* nodes * nodes: earliest next arrival per link */
  sim_rng *jitter;     /* one stream per sending node */
  uint64_t jitter_name; /* sim_name_hash("net.jitter") */
  net_msg *free;       /* message pool */
  net_msg **all;       /* every message allocated, to free them all at the end */
  size_t nall, capall;
  uint64_t sent[MSG_NTYPES];
} net;

/* Lifetime */
int net_init(net *n, const net_params *p, sim_engine *sim, net_deliver_fn deliver, void *ctx);
void net_free(net *n);
/* Before an iteration: empty links, jitter streams from the iteration seed. */
void net_reset(net *n, uint64_t iter_seed);

/* Messages: take one from the pool, fill it, send it; the receiver gives it
 * back with net_msg_free once handled. */
net_msg *net_msg_new(net *n, net_msg_type type, uint64_t addr, unsigned src, unsigned dst,
                     unsigned req);
void net_send(net *n, net_msg *m, uint64_t extra);
void net_msg_free(net *n, net_msg *m);

#endif
