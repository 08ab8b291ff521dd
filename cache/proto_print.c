/* cache/proto_print.c -- `mmsim protocol`: the tables the simulator runs,
 * printed from the same arrays, with how often each cell fired in a run.
 *
 * One line per possible cell, grouped by state, in the Primer's reading
 * order, so the output greps and diffs; impossible cells are left out, as
 * blank cells are in the Primer's tables.  With counts, cells that never
 * fired are marked, which is the coverage a test author wants to see.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

void proto_counts_add(proto_counts *c, const char *key, double value) {
  char state[32], event[32];
  if (strncmp(key, "proto.l1.", 9) == 0 && sscanf(key + 9, "%31[^.].%31s", state, event) == 2) {
    for (int s = 0; s < L1_NSTATES; s++)
      for (int e = 0; e < L1_NEVENTS; e++)
        if (!strcmp(state, l1_state_name[s]) && !strcmp(event, l1_event_name[e]))
          c->l1[s][e] += (uint64_t)value;
  } else if (strncmp(key, "proto.dir.", 10) == 0 &&
             sscanf(key + 10, "%31[^.].%31s", state, event) == 2) {
    for (int s = 0; s < DIR_NSTATES; s++)
      for (int e = 0; e < DIR_NEVENTS; e++)
        if (!strcmp(state, dir_state_name[s]) && !strcmp(event, dir_event_name[e]))
          c->dir[s][e] += (uint64_t)value;
  }
}

typedef struct table_view {
  const char *title;
  const proto_cell *cells;
  int nstates, nevents;
  const char *const *state, *const *state_doc, *const *event, *const *action;
  const uint64_t *fired; /* nstates * nevents, or NULL */
} table_view;

static void print_table(FILE *out, const table_view *t) {
  int possible = 0, stalls = 0, unfired = 0;
  for (int i = 0; i < t->nstates * t->nevents; i++) {
    possible += t->cells[i].kind != CELL_IMPOSSIBLE;
    stalls += t->cells[i].kind == CELL_STALL;
    unfired += t->fired && t->cells[i].kind != CELL_IMPOSSIBLE && !t->fired[i];
  }
  fprintf(out, "%s: %d states x %d events, %d possible cells (%d stall)", t->title, t->nstates,
          t->nevents, possible, stalls);
  if (t->fired) fprintf(out, ", %d never fired in this run", unfired);
  fprintf(out, "\n");
  for (int s = 0; s < t->nstates; s++) {
    fprintf(out, "\n  %-6s %s\n", t->state[s], t->state_doc[s]);
    for (int e = 0; e < t->nevents; e++) {
      const proto_cell *c = &t->cells[s * t->nevents + e];
      if (c->kind == CELL_IMPOSSIBLE) continue;
      char acts[160] = "";
      if (c->kind == CELL_STALL) {
        snprintf(acts, sizeof acts, "stall");
      } else {
        size_t n = 0;
        for (int a = 0; a < CELL_MAX_ACTIONS && c->act[a]; a++)
          n += (size_t)snprintf(acts + n, sizeof acts - n, "%s%s", a ? " " : "",
                                t->action[c->act[a]]);
      }
      fprintf(out, "    %-6s %-12s -> %-6s %-50s", t->state[s], t->event[e],
              c->kind == CELL_STALL ? t->state[s] : t->state[c->next], acts);
      if (t->fired) {
        uint64_t f = t->fired[s * t->nevents + e];
        if (f)
          fprintf(out, " %12" PRIu64, f);
        else
          fprintf(out, " %12s", "never");
      }
      fprintf(out, "\n");
    }
  }
}

void proto_print(FILE *out, const proto_counts *fired) {
  table_view l1 = {"L1 controller", &l1_table[0][0], L1_NSTATES, L1_NEVENTS,
                   l1_state_name, l1_state_doc, l1_event_name, l1_action_name,
                   fired ? &fired->l1[0][0] : NULL};
  table_view dir = {"Directory controller (at the LLC)", &dir_table[0][0], DIR_NSTATES,
                    DIR_NEVENTS, dir_state_name, dir_state_doc, dir_event_name,
                    dir_action_name, fired ? &fired->dir[0][0] : NULL};
  print_table(out, &l1);
  fprintf(out, "\n");
  print_table(out, &dir);
  fprintf(out, "\nMessages:\n");
  for (int m = 0; m < MSG_NTYPES; m++)
    fprintf(out, "  %-9s %s\n", net_msg_name[m], net_msg_doc[m]);
}
