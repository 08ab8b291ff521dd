/* sim/calib_stats.h -- how far apart two samples of per-run frequencies are.
 *
 * mmsim calibrate compares the anomaly frequencies of repeated native runs
 * with those of repeated simulated runs at one grid point.  Native
 * frequencies vary by 10x from run to run (DESIGN.md, "Calibration"), so
 * samples are compared on a log scale, and as whole distributions, not by
 * one number each.
 *
 * The residual is the Wasserstein-1 distance between the two empirical
 * distributions of log10 frequency: the area between their CDFs, which for
 * equal sizes is the mean gap between the i-th smallest values of each.  Its
 * unit is decades (0.3: the samples are a factor 2 apart on average), it is 0
 * only for equal samples, and it keeps growing as samples move apart.
 * Rejected as the residual: the two-sample Kolmogorov-Smirnov distance, the
 * largest gap between the CDFs, which stops at 1 once the samples no longer
 * overlap, so most of a coarse grid would tie at 1 and nothing would point
 * the way to the fit; and the distance between medians, which ignores the
 * spread that calibration is meant to match.  KS is still computed: it is
 * the tie-break between points of equal W1, and reported.
 *
 * Zero counts have no logarithm: a run with k anomalies in n iterations
 * counts as (k + 1/2) / (n + 1), the usual half-count correction, so a run
 * that saw nothing sits just below 1/n instead of at minus infinity, and
 * longer runs that saw nothing sit lower.  When the two sides ran different
 * numbers of iterations, every value is first raised to the floor of the
 * shortest runs, (1/2) / (n_min + 1): below it the shorter runs cannot tell
 * frequencies apart, and without the clamp two samples that both saw
 * nothing would differ by the ratio of their lengths.
 *
 * Prefix calib_ (sim/ holds calibration; DESIGN.md's table of prefixes
 * predates it).
 */
#ifndef MMSIM_SIM_CALIB_STATS_H
#define MMSIM_SIM_CALIB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* log10((k + 1/2) / (n + 1)): never infinite. */
double calib_log_freq(uint64_t k, uint64_t n);

/* Raises each of v[0..n) to at least calib_log_freq(0, n_min). */
void calib_clamp(double *v, size_t n, uint64_t n_min);

/* Both sort copies of their inputs; na, nb >= 1.  Symmetric. */
double calib_w1(const double *a, size_t na, const double *b, size_t nb);
double calib_ks(const double *a, size_t na, const double *b, size_t nb);

/* Sorting, and the q-quantile (0 <= q <= 1) of a sorted sample, linear
 * between order statistics (R's type 7, numpy's default). */
void calib_sort(double *v, size_t n);
double calib_quantile(const double *sorted, size_t n, double q);

#endif
