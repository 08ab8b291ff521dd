/* sim/rng.h -- deterministic random streams, one per consumer.
 *
 * xoshiro256** seeded through splitmix64.  A stream is derived from a parent
 * seed, a consumer name and an index (sim_rng_derive(seed, "net.jitter",
 * link)), so adding a consumer never shifts another's numbers, and an
 * iteration's streams derive from (run seed, iteration index) alone: any one
 * iteration can be re-run by itself and draws the same numbers.
 *
 * Never rand(): its state is global and its sequence differs between libcs.
 */
#ifndef MMSIM_SIM_RNG_H
#define MMSIM_SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng { uint64_t s[4]; } sim_rng;

/* A seed for the stream (parent, name, index): a hash, stable across hosts. */
uint64_t sim_seed_derive(uint64_t parent, const char *name, uint64_t index);
void sim_rng_seed(sim_rng *r, uint64_t seed);
static inline void sim_rng_derive(sim_rng *r, uint64_t parent, const char *name,
                                  uint64_t index) {
  sim_rng_seed(r, sim_seed_derive(parent, name, index));
}

/* The same with the name hashed once beforehand (sim_name_hash): for the
 * streams derived anew every iteration, where hashing the name was a
 * third of a derivation's cost. */
uint64_t sim_name_hash(const char *name);
uint64_t sim_seed_derive_h(uint64_t parent, uint64_t name_hash, uint64_t index);
static inline void sim_rng_derive_h(sim_rng *r, uint64_t parent, uint64_t name_hash,
                                    uint64_t index) {
  sim_rng_seed(r, sim_seed_derive_h(parent, name_hash, index));
}

static inline uint64_t sim_rng_next(sim_rng *r) {
  uint64_t *s = r->s;
  uint64_t x = s[1] * 5, res = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return res;
}

/* Uniform in [0, n]; n == 0 draws nothing, so a zero-jitter config does not
 * consume the stream and stays comparable to itself. */
static inline uint64_t sim_rng_upto(sim_rng *r, uint64_t n) {
  if (n == 0) return 0;
  /* Lemire's multiply-shift; the bias for n < 2^32 is below 2^-32. */
  return (uint64_t)(((unsigned __int128)sim_rng_next(r) * (n + 1)) >> 64);
}

#endif
