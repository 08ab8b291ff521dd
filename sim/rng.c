/* sim/rng.c -- see rng.h. */
#include "rng.h"

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t sim_name_hash(const char *name) {
  uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    h = (h ^ *p) * 0x100000001b3ULL;
  return h;
}

uint64_t sim_seed_derive(uint64_t parent, const char *name, uint64_t index) {
  return sim_seed_derive_h(parent, sim_name_hash(name), index);
}

uint64_t sim_seed_derive_h(uint64_t parent, uint64_t name_hash, uint64_t index) {
  uint64_t x = parent ^ name_hash;
  uint64_t a = splitmix(&x);
  x ^= index * 0xd1342543de82ef95ULL;
  return a ^ splitmix(&x);
}

void sim_rng_seed(sim_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
}
