/* sim/calib_stats.c -- see calib_stats.h.
 *
 * Both distances walk the pooled values in order, keeping each sample's
 * empirical CDF (the share of its values <= x): KS is the largest gap after
 * all values equal to x were taken (so ties never create a gap), W1 the sum
 * of gap x width over the intervals between consecutive pooled values.
 */
#include "calib_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double calib_log_freq(uint64_t k, uint64_t n) {
  return log10(((double)k + 0.5) / ((double)n + 1.0));
}

void calib_clamp(double *v, size_t n, uint64_t n_min) {
  double floor_log = calib_log_freq(0, n_min);
  for (size_t i = 0; i < n; i++)
    if (v[i] < floor_log) v[i] = floor_log;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

void calib_sort(double *v, size_t n) { qsort(v, n, sizeof *v, cmp_double); }

double calib_quantile(const double *sorted, size_t n, double q) {
  if (n == 0) return NAN;
  double h = (double)(n - 1) * q;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* The walk shared by both distances; *ks and *w1 may not be NULL. */
static void ecdf_walk(const double *a0, size_t na, const double *b0, size_t nb, double *ks,
                      double *w1) {
  double *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b);
  *ks = *w1 = NAN;
  if (!a || !b || !na || !nb) goto done;
  memcpy(a, a0, na * sizeof *a);
  memcpy(b, b0, nb * sizeof *b);
  calib_sort(a, na);
  calib_sort(b, nb);
  size_t i = 0, j = 0;
  double d = 0, area = 0;
  while (i < na || j < nb) {
    double x = i < na && (j >= nb || a[i] <= b[j]) ? a[i] : b[j];
    while (i < na && a[i] == x) i++;
    while (j < nb && b[j] == x) j++;
    double gap = fabs((double)i / (double)na - (double)j / (double)nb);
    if (gap > d) d = gap;
    if (i == na && j == nb) break; /* both CDFs are 1 from here on */
    /* The CDFs stay put until the next pooled value. */
    double next = j == nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
    area += gap * (next - x);
  }
  *ks = d;
  *w1 = area;
done:
  free(a);
  free(b);
}

double calib_w1(const double *a, size_t na, const double *b, size_t nb) {
  double ks, w1;
  ecdf_walk(a, na, b, nb, &ks, &w1);
  return w1;
}

double calib_ks(const double *a, size_t na, const double *b, size_t nb) {
  double ks, w1;
  ecdf_walk(a, na, b, nb, &ks, &w1);
  return ks;
}
