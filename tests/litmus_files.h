/* tests/litmus_files.h -- the shipped litmus files of one folder, for the
 * tests that walk them all (parse, interp, conformance): one listing, sorted
 * by name so every test reports them in the same order. */
#ifndef MMSIM_TESTS_LITMUS_FILES_H
#define MMSIM_TESTS_LITMUS_FILES_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LITMUS_FILES_MAX 256

typedef struct litmus_files {
  size_t n;
  char *path[LITMUS_FILES_MAX]; /* MMSIM_SOURCE_DIR/litmus/SUB/NAME.litmus */
} litmus_files;

static int litmus_files__cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills f with litmus/SUB/ *.litmus; returns false if the folder is missing. */
static inline bool litmus_files_list(const char *sub, litmus_files *f) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/litmus/%s", MMSIM_SOURCE_DIR, sub);
  f->n = 0;
  DIR *d = opendir(dir);
  if (!d) return false;
  for (struct dirent *e; (e = readdir(d)) && f->n < LITMUS_FILES_MAX;) {
    size_t len = strlen(e->d_name);
    if (len < 8 || strcmp(e->d_name + len - 7, ".litmus") != 0) continue;
    size_t k = strlen(dir) + len + 2;
    f->path[f->n] = malloc(k);
    snprintf(f->path[f->n++], k, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  qsort(f->path, f->n, sizeof *f->path, litmus_files__cmp);
  return true;
}

static inline void litmus_files_free(litmus_files *f) {
  for (size_t i = 0; i < f->n; i++) free(f->path[i]);
  f->n = 0;
}

#endif
