/* tests/sim/test_calib_stats.c -- the distances mmsim calibrate ranks by. */
#include <math.h>

#include "../check.h"
#include "sim/calib_stats.h"

#define CHECK_NEAR(a, b)                                                           \
  do {                                                                             \
    double check_x_ = (a), check_y_ = (b);                                         \
    if (!(fabs(check_x_ - check_y_) < 1e-9))                                       \
      CHECK__FAIL("%s ~= %s: %.12g != %.12g", #a, #b, check_x_, check_y_);         \
  } while (0)

static void t_equal_samples(void) {
  double a[] = {-2, -1, -1.5}, b[] = {-1, -1.5, -2};
  CHECK_NEAR(calib_w1(a, 3, b, 3), 0);
  CHECK_NEAR(calib_ks(a, 3, b, 3), 0);
}

/* Equal sizes: W1 is the mean gap between order statistics. */
static void t_w1_order_statistics(void) {
  double a[] = {0, 1, 3}, b[] = {2, 0.5, 1};
  /* sorted: 0 1 3 against 0.5 1 2: gaps 0.5 0 1 */
  CHECK_NEAR(calib_w1(a, 3, b, 3), 1.5 / 3);
  CHECK_NEAR(calib_w1(b, 3, a, 3), 1.5 / 3);
}

/* A shift by s moves W1 by s however far apart, while KS stops at 1. */
static void t_no_saturation(void) {
  double a[] = {0, 0.1, 0.2, 0.3}, b[4], c[4];
  for (int i = 0; i < 4; i++) b[i] = a[i] + 2, c[i] = a[i] + 5;
  CHECK_NEAR(calib_w1(a, 4, b, 4), 2);
  CHECK_NEAR(calib_w1(a, 4, c, 4), 5);
  CHECK_NEAR(calib_ks(a, 4, b, 4), 1);
  CHECK_NEAR(calib_ks(a, 4, c, 4), 1);
}

/* Unequal sizes and ties: one point at 0 against {0, 1}: half the mass
 * moves by 1; the CDFs differ by 1/2 on [0, 1). */
static void t_unequal_and_ties(void) {
  double a[] = {0}, b[] = {0, 1};
  CHECK_NEAR(calib_w1(a, 1, b, 2), 0.5);
  CHECK_NEAR(calib_ks(a, 1, b, 2), 0.5);
  double c[] = {1, 1, 1}, d[] = {1};
  CHECK_NEAR(calib_ks(c, 3, d, 1), 0); /* ties make no gap */
}

static void t_log_freq(void) {
  CHECK(isfinite(calib_log_freq(0, 1000)));
  CHECK(calib_log_freq(0, 10000) < calib_log_freq(0, 100)); /* longer: lower floor */
  CHECK(calib_log_freq(0, 1000) < calib_log_freq(1, 1000));
  CHECK_NEAR(calib_log_freq(999, 999), log10(999.5 / 1000));
}

/* Runs of 10000 and 2000 iterations that both saw nothing are equal once
 * clamped to the 2000-iteration floor. */
static void t_clamp(void) {
  double a[] = {calib_log_freq(0, 10000), calib_log_freq(1, 10000)};
  double b[] = {calib_log_freq(0, 2000), calib_log_freq(0, 2000)};
  CHECK(calib_w1(a, 1, b, 1) > 0.5);
  calib_clamp(a, 2, 2000);
  calib_clamp(b, 2, 2000);
  CHECK_NEAR(a[0], b[0]);
  CHECK_NEAR(a[1], b[0]); /* 1 in 10000 is below 1/2 in 2001 */
  CHECK_NEAR(calib_w1(a, 2, b, 2), 0);
}

static void t_quantile(void) {
  double v[] = {1, 2, 3, 4, 5};
  CHECK_NEAR(calib_quantile(v, 5, 0), 1);
  CHECK_NEAR(calib_quantile(v, 5, 0.5), 3);
  CHECK_NEAR(calib_quantile(v, 5, 0.25), 2);
  CHECK_NEAR(calib_quantile(v, 5, 1), 5);
  double w[] = {0, 10};
  CHECK_NEAR(calib_quantile(w, 2, 0.5), 5);
}

static const check_case cases[] = {
    {"equal_samples", t_equal_samples},   {"w1_order_statistics", t_w1_order_statistics},
    {"no_saturation", t_no_saturation},   {"unequal_and_ties", t_unequal_and_ties},
    {"log_freq", t_log_freq},             {"quantile", t_quantile},
    {"clamp", t_clamp},
    {0, 0}};

int main(int argc, char **argv) { return check_main(cases, argc, argv); }
