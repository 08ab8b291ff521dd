/* cache/net.c -- see net.h. */
#include "net.h"

#include <stdlib.h>
#include <string.h>

int net_init(net *n, const net_params *p, sim_engine *sim, net_deliver_fn deliver, void *ctx) {
  memset(n, 0, sizeof *n);
  n->p = *p;
  n->sim = sim;
  n->deliver = deliver;
  n->ctx = ctx;
  n->jitter_name = sim_name_hash("net.jitter");
  n->link_free = calloc((size_t)p->nodes * p->nodes, sizeof *n->link_free);
  n->jitter = calloc(p->nodes, sizeof *n->jitter);
  if (!n->link_free || !n->jitter) {
    net_free(n);
    return -1;
  }
  net_reset(n, 0);
  return 0;
}

void net_free(net *n) {
  for (size_t i = 0; i < n->nall; i++) free(n->all[i]);
  free(n->all);
  n->all = NULL;
  n->nall = n->capall = 0;
  n->free = NULL;
  free(n->link_free);
  free(n->jitter);
  n->link_free = NULL;
  n->jitter = NULL;
}

void net_reset(net *n, uint64_t iter_seed) {
  memset(n->link_free, 0, (size_t)n->p.nodes * n->p.nodes * sizeof *n->link_free);
  for (unsigned i = 0; i < n->p.nodes; i++)
    sim_rng_derive_h(&n->jitter[i], iter_seed, n->jitter_name, i);
}

net_msg *net_msg_new(net *n, net_msg_type type, uint64_t addr, unsigned src, unsigned dst,
                     unsigned req) {
  net_msg *m = n->free;
  if (m)
    n->free = m->next;
  else {
    /* The pool only grows to the most messages ever in flight at once. */
    if (n->nall == n->capall) {
      n->capall = n->capall ? 2 * n->capall : 64;
      n->all = realloc(n->all, n->capall * sizeof *n->all);
    }
    if (!n->all || !(m = malloc(sizeof *m + n->p.line_bytes)))
      abort(); /* out of memory for a few hundred bytes: nothing sensible to do */
    n->all[n->nall++] = m;
  }
  m->next = NULL;
  m->type = (uint16_t)type;
  m->addr = addr;
  m->src = (uint16_t)src;
  m->dst = (uint16_t)dst;
  m->req = (uint16_t)req;
  m->acks = 0;
  return m;
}

void net_msg_free(net *n, net_msg *m) {
  m->next = n->free;
  n->free = m;
}

static void arrive(sim_engine *sim, void *ctx, uint64_t arg) {
  net *n = ctx;
  (void)sim;
  n->deliver(n->ctx, (net_msg *)(uintptr_t)arg);
}

void net_send(net *n, net_msg *m, uint64_t extra) {
  uint64_t now = sim_now(n->sim);
  uint64_t at = now + extra + n->p.latency + sim_rng_upto(&n->jitter[m->src], n->p.jitter);
  uint64_t *link = &n->link_free[(size_t)m->src * n->p.nodes + m->dst];
  if (at < *link) at = *link; /* N1: FIFO and serialised */
  *link = at + n->p.link_cycles;
  n->sent[m->type]++;
  if (n->tap) n->tap(n->tap_ctx, m, at);
  sim_schedule(n->sim, at - now, arrive, n, (uint64_t)(uintptr_t)m, net_msg_name[m->type]);
}
