/* cpu/model.c -- the model table, from the one list in model.h. */
#include "model.h"

#include <string.h>

const cpu_model_info cpu_model_table[CPU_NMODELS] = {
#define X(id, name, lw, ooo, iq, ol, doc) {name, lw, ooo, iq, ol, doc},
    CPU_MODELS(X)
#undef X
};

int cpu_model_find(const char *name) {
  for (int i = 0; i < CPU_NMODELS; i++)
    if (strcmp(cpu_model_table[i].name, name) == 0) return i;
  return -1;
}
