/* tests/sim/test_config.c -- sim/config.c: defaults, loading in every
 * spelling, every error message (C1), canonical output and hash (C2), --set,
 * the sweep grid, and clone independence.
 *
 * Config files are written into a mkdtemp folder, so messages name a real
 * path; expected messages are built from that path. */
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check.h"
#include "sim/config.h"

static char tmp_dir[64];

/* A file name inside the test's temp folder (created on first use). */
static const char *tmp_path(const char *name, char *buf, size_t n) {
  if (!tmp_dir[0]) {
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/mmsim-test-config-XXXXXX");
    if (!mkdtemp(tmp_dir)) CHECK__FAIL("mkdtemp: %s", strerror(errno));
  }
  snprintf(buf, n, "%s/%s", tmp_dir, name);
  return buf;
}

static const char *write_file(const char *name, const char *text, char *buf, size_t n) {
  tmp_path(name, buf, n);
  FILE *f = fopen(buf, "w");
  if (!f) CHECK__FAIL("fopen %s: %s", buf, strerror(errno));
  fputs(text, f);
  fclose(f);
  return buf;
}

/* printf into a static buffer, for expected messages. */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...) {
  static char buf[1024];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

/* Loads text as a file "x.json" into a fresh cfg and expects the error
 * "<path>: <want>" with code SIM_ECONFIG. */
static void expect_load_error(const char *text, const char *want) {
  char path[256];
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c);
  write_file("x.json", text, path, sizeof path);
  int rc = cfg_load_file(c, path, &err);
  cfg_free(c);
  CHECK_EQ_I64(rc, SIM_ECONFIG);
  CHECK_EQ_I64(err.code, SIM_ECONFIG);
  CHECK_EQ_STR(err.msg, fmt("%s%s%s", path, want[0] == ':' ? "" : ": ", want));
}

static void expect_set_error(const char *key, const char *value, const char *want) {
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c);
  int rc = cfg_set(c, key, value, &err);
  cfg_free(c);
  CHECK_EQ_I64(rc, SIM_ECONFIG);
  CHECK_EQ_STR(err.msg, want);
}

static cfg *load_ok(const char *text) {
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(c);
  if (cfg_load_string(c, "t.json", text, &err) != SIM_OK) CHECK__FAIL("load failed: %s", err.msg);
  return c;
}

static void text_is(const cfg *c, cfg_key_id id, const char *want) {
  char buf[64];
  CHECK_EQ_STR(cfg_value_text(c, id, buf, sizeof buf), want);
}

/* ---- Defaults and the table ---- */

static void t_defaults(void) {
  cfg *c = cfg_new();
  char *src;
  CHECK(c);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "tso");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_SB_ENTRIES), 16);
  CHECK_EQ_I64(cfg_int(c, CK_CPU_ATOMIC_WIDTH), 8);
  CHECK_EQ_I64(cfg_int(c, CK_CPU_ORDER_ADDR_DEPS), 1);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_ITERATIONS), 10000);
  CHECK_EQ_STR(cfg_str(c, CK_WORKLOAD_LITMUS), "");
  CHECK(cfg_name(c) == NULL);
  CHECK_EQ_STR(cfg_dir(c), ".");
  CHECK_EQ_U64(cfg_sweep_nkeys(c), 0);
  src = cfg_source_json(c);
  CHECK_EQ_STR(src, "{}");
  free(src);
  /* Every value reads back as its table default. */
  for (int i = 0; i < CFG_NKEYS; i++) {
    char buf[64];
    CHECK_EQ_STR(cfg_value_text(c, (cfg_key_id)i, buf, sizeof buf), cfg_key_at((cfg_key_id)i)->def);
  }
  cfg_free(c);
}

static void t_table(void) {
  CHECK_EQ_I64(cfg_key_find("cpu.model"), CK_CPU_MODEL);
  CHECK_EQ_I64(cfg_key_find("cpu.store_buffer.entries"), CK_CPU_SB_ENTRIES);
  CHECK_EQ_I64(cfg_key_find("cpu"), -1);
  CHECK_EQ_I64(cfg_key_find("cpu.modle"), -1);
  CHECK_EQ_STR(cfg_key_at(CK_RUN_SEED)->path, "run.seed");
  /* Every path is unique, and no path is also a group of another. */
  for (int i = 0; i < CFG_NKEYS; i++)
    for (int j = 0; j < CFG_NKEYS; j++) {
      const char *a = cfg_key_at((cfg_key_id)i)->path, *b = cfg_key_at((cfg_key_id)j)->path;
      size_t n = strlen(a);
      if (i != j) CHECK(strcmp(a, b) != 0 && !(strncmp(a, b, n) == 0 && b[n] == '.'));
    }
}

static void t_value_text(void) {
  cfg *c = cfg_new();
  char small[3];
  text_is(c, CK_CPU_MODEL, "tso");
  text_is(c, CK_CPU_SB_ENTRIES, "16");
  text_is(c, CK_CPU_ORDER_ADDR_DEPS, "true");
  text_is(c, CK_WORKLOAD_LITMUS, "");
  CHECK(cfg_set(c, "cpu.order_address_deps", "false", NULL) == SIM_OK);
  text_is(c, CK_CPU_ORDER_ADDR_DEPS, "false");
  /* A short buffer truncates, never overruns. */
  CHECK_EQ_STR(cfg_value_text(c, CK_RUN_ITERATIONS, small, sizeof small), "10");
  cfg_free(c);
}

/* ---- Loading ---- */

static void t_load_nested(void) {
  cfg *c = load_ok("{\"cpu\": {\"model\": \"pso\", \"store_buffer\": {\"entries\": 4}},"
                   " \"run\": {\"iterations\": 500}, \"cpu\": {}}");
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "pso");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_SB_ENTRIES), 4);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_ITERATIONS), 500);
  CHECK_EQ_I64(cfg_int(c, CK_CPU_IQ_ENTRIES), 8); /* untouched keys keep defaults */
  cfg_free(c);
}

static void t_load_dotted(void) {
  cfg *c = load_ok("{\"cpu.model\": \"weak\", \"cpu.store_buffer.entries\": 2,"
                   " \"cpu.order_address_deps\": false, \"workload.litmus\": \"sb.litmus\"}");
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "weak");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_SB_ENTRIES), 2);
  CHECK_EQ_I64(cfg_int(c, CK_CPU_ORDER_ADDR_DEPS), 0);
  CHECK_EQ_STR(cfg_str(c, CK_WORKLOAD_LITMUS), "sb.litmus");
  cfg_free(c);
}

static void t_load_mixed(void) {
  cfg *c = load_ok("{\"cpu\": {\"store_buffer.entries\": 4, \"model\": \"sc\"},"
                   " \"cache.l1\": {\"ways\": 2}, \"name\": \"mixed\"}");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_SB_ENTRIES), 4);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "sc");
  CHECK_EQ_I64(cfg_int(c, CK_CACHE_L1_WAYS), 2);
  CHECK_EQ_STR(cfg_name(c), "mixed");
  cfg_free(c);
}

static void t_comments(void) {
  cfg *c = load_ok("{\"_comment\": \"why\", \"cpu\": {\"_note\": 5, \"model\": \"sc\"},"
                   " \"sweep\": {\"_why\": \"x\", \"cpu.cores\": [1, 2]}}");
  char *src = cfg_source_json(c);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "sc");
  CHECK_EQ_U64(cfg_sweep_nkeys(c), 1);
  CHECK_CONTAINS(src, "\"_comment\":\"why\""); /* kept in the source as written */
  free(src);
  cfg_free(c);
}

static void t_exact_integers(void) {
  cfg *c = load_ok("{\"run\": {\"seed\": 9223372036854775807, \"iterations\": 1e6,"
                   " \"max_cycles\": 9007199254740993}}");
  char *src = cfg_source_json(c);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_SEED), INT64_MAX);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_ITERATIONS), 1000000);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_MAX_CYCLES), 9007199254740993LL); /* 2^53 + 1 */
  CHECK_CONTAINS(src, "9223372036854775807");
  CHECK_CONTAINS(src, "1e6"); /* numbers re-printed as written */
  CHECK_CONTAINS(src, "9007199254740993");
  free(src);
  cfg_free(c);
}

static void t_load_overlays(void) {
  char p1[256], p2[256];
  sim_err err = {0};
  cfg *c = cfg_new();
  write_file("a.json",
             "{\"name\": \"a\", \"cpu.model\": \"sc\", \"cpu.cores\": 3,"
             " \"sweep\": {\"cpu.cores\": [1]}}",
             p1, sizeof p1);
  mkdir(tmp_path("sub", p2, sizeof p2), 0700);
  write_file("sub/b.json", "{\"cpu.model\": \"pso\"}", p2, sizeof p2);
  CHECK_EQ_I64(cfg_load_file(c, p1, &err), SIM_OK);
  CHECK_EQ_STR(cfg_dir(c), tmp_dir);
  CHECK_EQ_I64(cfg_load_file(c, p2, &err), SIM_OK);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "pso"); /* later file wins key by key */
  CHECK_EQ_I64(cfg_int(c, CK_CPU_CORES), 3);     /* earlier keys stay */
  CHECK(cfg_name(c) == NULL);                    /* file-level state is the last file's */
  CHECK_EQ_U64(cfg_sweep_nkeys(c), 0);
  CHECK_EQ_STR(cfg_dir(c), fmt("%s/sub", tmp_dir));
  CHECK_EQ_I64(cfg_load_file(c, fmt("%s//a.json", tmp_dir), &err), SIM_OK);
  CHECK_EQ_STR(cfg_dir(c), tmp_dir); /* "d//a.json" is in "d" */
  CHECK_EQ_I64(cfg_load_string(c, "s", "{}", &err), SIM_OK);
  CHECK_EQ_STR(cfg_dir(c), ".");
  cfg_free(c);
}

/* A file larger than the first read buffer (4 KiB) reads whole. */
static void t_load_big_file(void) {
  char path[256], *text = malloc(20000);
  sim_err err = {0};
  cfg *c = cfg_new();
  CHECK(text);
  strcpy(text, "{\"_pad\": \"");
  memset(text + strlen(text), 'x', 15000);
  strcpy(text + 15000 + 10, "\", \"cpu.model\": \"weak\"}");
  write_file("big.json", text, path, sizeof path);
  free(text);
  CHECK_EQ_I64(cfg_load_file(c, path, &err), SIM_OK);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "weak");
  cfg_free(c);
}

static void t_dir_of_bare_name(void) {
  char path[256], cwd[512];
  sim_err err = {0};
  cfg *c = cfg_new();
  write_file("bare.json", "{}", path, sizeof path);
  CHECK(getcwd(cwd, sizeof cwd));
  CHECK(chdir(tmp_dir) == 0);
  int rc = cfg_load_file(c, "bare.json", &err);
  CHECK(chdir(cwd) == 0);
  CHECK_EQ_I64(rc, SIM_OK);
  CHECK_EQ_STR(cfg_dir(c), ".");
  cfg_free(c);
}

/* ---- Errors (C1) ---- */

static void t_err_malformed(void) {
  /* Line 3, column 19 is the second comma. */
  expect_load_error("{\n  \"cpu\": {\n    \"model\": \"sc\",,\n  }\n}\n",
                    ":3:19: malformed JSON near ','");
  expect_load_error("{\"a\": 1,}", ":1:9: malformed JSON near '}'");
  expect_load_error("{\"a\": [1,2x]}", ":1:11: malformed JSON near 'x]}'");
  expect_load_error("{\"a\":1 \"b\":2}", ":1:8: malformed JSON near '\"b\":2}'");
  expect_load_error("{\"a\": 1} x", ":1:10: malformed JSON near 'x'");
  expect_load_error("{\"cpu\": {", ":1:10: malformed JSON near end of input");
  expect_load_error("", ":1:1: malformed JSON near end of input");
  expect_load_error("{\n  // comment\n}", ":2:3: malformed JSON near '// comment'");
  expect_load_error("[1, 2]", "expected a JSON object at the top level, got a list");
}

static void t_err_unknown_key(void) {
  expect_load_error("{\"cpu\": {\"modle\": \"tso\"}}",
                    "cpu.modle: unknown key (did you mean cpu.model?)");
  expect_load_error("{\"cpu.modle\": \"tso\"}", "cpu.modle: unknown key (did you mean cpu.model?)");
  expect_load_error("{\"model\": \"tso\"}", "model: unknown key (did you mean cpu.model?)");
  expect_load_error("{\"cpu\": {\"store_bufer\": {\"entries\": 4}}}",
                    "cpu.store_bufer: unknown key (did you mean cpu.store_buffer?)");
  expect_load_error(
      "{\"cpu\": {\"store_buffer\": {\"entrys\": 4}}}",
      "cpu.store_buffer.entrys: unknown key (did you mean cpu.store_buffer.entries?)");
  expect_load_error("{\"zzzz\": 1}", "zzzz: unknown key (mmsim config --defaults lists every key)");
  expect_load_error("{\"entries\": 1}", /* two keys end in .entries: no guess */
                    "entries: unknown key (mmsim config --defaults lists every key)");
  expect_load_error("{\"cpu\": 4}", "cpu: expected an object of cpu.* keys, got number 4");
}

static void t_err_type(void) {
  expect_load_error("{\"run\": {\"iterations\": \"ten\"}}",
                    "run.iterations: expected an integer, got string \"ten\"");
  expect_load_error("{\"run.iterations\": 1.5}",
                    "run.iterations: expected an integer, got number 1.5");
  expect_load_error("{\"run.iterations\": null}", "run.iterations: expected an integer, got null");
  expect_load_error("{\"run.iterations\": [1]}", "run.iterations: expected an integer, got a list");
  expect_load_error("{\"cpu.order_address_deps\": 1}",
                    "cpu.order_address_deps: expected true or false, got number 1");
  expect_load_error("{\"workload.litmus\": true}", "workload.litmus: expected a string, got true");
  expect_load_error("{\"cpu.model\": 3}",
                    "cpu.model: expected one of sc|tso|pso|weak|arm, got number 3");
  expect_load_error("{\"name\": 7}", "name: expected a non-empty string, got number 7");
  expect_load_error(
      "{\"run.seed\": 1e17}",
      "run.seed: 1e17 is not exact as a JSON double (beyond 2^53); write its digits out");
}

static void t_err_range(void) {
  expect_load_error("{\"cpu\": {\"store_buffer\": {\"entries\": 0}}}",
                    "cpu.store_buffer.entries: 0 is out of range [1, 1024]");
  expect_load_error("{\"cpu.store_buffer.entries\": 1025}",
                    "cpu.store_buffer.entries: 1025 is out of range [1, 1024]");
  expect_load_error("{\"cpu.cores\": -1}", "cpu.cores: -1 is out of range [0, 64]");
  expect_load_error("{\"run.seed\": 9223372036854775808}",
                    "run.seed: 9223372036854775808 is out of range [0, 9223372036854775807]");
  /* Inclusive bounds. */
  cfg *c = load_ok("{\"cpu.store_buffer.entries\": 1024, \"cpu.cores\": 0}");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_SB_ENTRIES), 1024);
  cfg_free(c);
}

static void t_err_enum(void) {
  expect_load_error("{\"cpu\": {\"model\": \"foo\"}}",
                    "cpu.model: \"foo\" is not one of sc|tso|pso|weak|arm");
  expect_load_error("{\"cpu.model\": \"TSO\"}",
                    "cpu.model: \"TSO\" is not one of sc|tso|pso|weak|arm (did you mean tso?)");
}

static void t_err_atomic_width(void) {
  expect_load_error("{\"cpu\": {\"atomic_width\": 3}}", "cpu.atomic_width: 3 is not 1, 2, 4 or 8");
  expect_load_error("{\"cpu.atomic_width\": 16}", "cpu.atomic_width: 16 is not 1, 2, 4 or 8");
  expect_load_error("{\"cache.l1.sets\": 48}",
                    "cache.l1.sets: 48 is not a power of two in [1, 65536]");
  cfg *c = load_ok("{\"cpu.atomic_width\": 4}");
  CHECK_EQ_I64(cfg_int(c, CK_CPU_ATOMIC_WIDTH), 4);
  cfg_free(c);
}

static void t_err_twice(void) {
  expect_load_error("{\"cpu.model\": \"sc\", \"cpu\": {\"model\": \"sc\"}}",
                    "cpu.model: given twice");
  expect_load_error("{\"name\": \"a\", \"name\": \"b\"}", "name: given twice");
}

static void t_err_sweep(void) {
  expect_load_error("{\"sweep\": {\"cpu.model\": [\"sc\", \"foo\"]}}",
                    "sweep.cpu.model: \"foo\" is not one of sc|tso|pso|weak|arm");
  expect_load_error("{\"sweep\": {\"cpu.store_buffer.entries\": [1, 0]}}",
                    "sweep.cpu.store_buffer.entries: 0 is out of range [1, 1024]");
  expect_load_error("{\"sweep\": {\"cpu.atomic_width\": {\"from\": 1, \"to\": 8}}}",
                    "sweep.cpu.atomic_width: 3 is not 1, 2, 4 or 8");
  expect_load_error("{\"sweep\": {\"cpu.modle\": [\"sc\"]}}",
                    "sweep.cpu.modle: unknown key (did you mean cpu.model?)");
  expect_load_error("{\"sweep\": {\"cpu.model\": [\"sc\"], \"cpu\": {\"model\": [\"tso\"]}}}",
                    "sweep.cpu.model: given twice");
  expect_load_error("{\"sweep\": {\"cpu.model\": []}}",
                    "sweep.cpu.model: expected a non-empty list of values, got an empty list");
  expect_load_error("{\"sweep\": {\"cpu.model\": \"sc\"}}",
                    "sweep.cpu.model: expected a list of values or {\"from\", \"to\", \"step\"}, "
                    "got string \"sc\"");
  expect_load_error(
      "{\"sweep\": {\"cpu.model\": {\"from\": 1, \"to\": 2}}}",
      "sweep.cpu.model: from/to/step needs a numeric key; give a list of values instead");
  expect_load_error("{\"sweep\": {\"cpu.cores\": [2, 2]}}", "sweep.cpu.cores: 2 is listed twice");
  expect_load_error("{\"sweep\": {\"cpu.cores\": {\"from\": 1, \"to\": 4, \"step\": 0}}}",
                    "sweep.cpu.cores: step must not be 0");
  expect_load_error("{\"sweep\": {\"cpu.cores\": {\"from\": 4, \"to\": 1}}}",
                    "sweep.cpu.cores: from 4 to 1 by step 1 gives no values");
  expect_load_error("{\"sweep\": {\"cpu.cores\": {\"from\": 1, \"to\": 4, \"stp\": 1}}}",
                    "sweep.cpu.cores: unknown member \"stp\" (expected from, to, step)");
  expect_load_error("{\"sweep\": {\"cpu.cores\": {\"from\": 1.5, \"to\": 4}}}",
                    "sweep.cpu.cores.from: expected an exact integer, got number 1.5");
  expect_load_error("{\"sweep\": {\"cpu.cores\": {\"to\": 4}}}",
                    "sweep.cpu.cores: missing \"from\"");
  expect_load_error("{\"sweep\": {\"run.seed\": {\"from\": 0, \"to\": 1000000}}}",
                    "sweep.run.seed: from/to/step gives more than 100000 values");
  expect_load_error("{\"sweep\": [1]}",
                    "sweep: expected an object mapping keys to lists of values, got a list");
}

static void t_err_unreadable(void) {
  char path[256];
  sim_err err = {0};
  cfg *c = cfg_new();
  tmp_path("does-not-exist.json", path, sizeof path);
  CHECK_EQ_I64(cfg_load_file(c, path, &err), SIM_EIO);
  CHECK_EQ_I64(err.code, SIM_EIO);
  CHECK_EQ_STR(err.msg, fmt("%s: %s", path, strerror(ENOENT)));
  /* A folder opens but does not read. */
  CHECK_EQ_I64(cfg_load_file(c, tmp_path("", path, sizeof path), &err), SIM_EIO);
  CHECK_CONTAINS(err.msg, strerror(EISDIR));
  cfg_free(c);
}

/* C1: after any failed load the cfg is exactly what it was. */
static void t_unchanged_after_error(void) {
  char bad_path[256], h1[17], h2[17];
  sim_err err = {0};
  cfg *c =
      load_ok("{\"name\": \"keep\", \"cpu.model\": \"sc\", \"sweep\": {\"cpu.cores\": [1, 2]}}");
  char *res1 = cfg_resolved_json(c), *src1 = cfg_source_json(c);
  cfg_hash(c, h1);
  /* Valid changes first, then one bad key: none of it may land. */
  write_file("bad.json",
             "{\"name\": \"other\", \"cpu.model\": \"weak\", \"cpu.cores\": 4,"
             " \"sweep\": {\"cpu.model\": [\"tso\"]}, \"run.iterations\": 0}",
             bad_path, sizeof bad_path);
  CHECK_EQ_I64(cfg_load_file(c, bad_path, &err), SIM_ECONFIG);
  CHECK_CONTAINS(err.msg, "run.iterations: 0 is out of range");
  CHECK_EQ_I64(cfg_load_string(c, "m.json", "{\"cpu.model\": \"weak\",", &err), SIM_ECONFIG);
  CHECK_EQ_I64(cfg_load_file(c, "/nonexistent/x.json", &err), SIM_EIO);
  CHECK_EQ_I64(cfg_set(c, "cpu.model", "foo", &err), SIM_ECONFIG);
  cfg_hash(c, h2);
  char *res2 = cfg_resolved_json(c), *src2 = cfg_source_json(c);
  CHECK_EQ_STR(res2, res1);
  CHECK_EQ_STR(src2, src1);
  CHECK_EQ_STR(h2, h1);
  CHECK_EQ_STR(cfg_name(c), "keep");
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "sc");
  CHECK_EQ_STR(cfg_dir(c), ".");
  CHECK_EQ_U64(cfg_sweep_nkeys(c), 1);
  CHECK_EQ_STR(cfg_sweep_key(c, 0), "cpu.cores");
  free(res1), free(res2), free(src1), free(src2);
  cfg_free(c);
}

/* ---- --set ---- */

static void t_set(void) {
  cfg *c = cfg_new();
  sim_err err = {0};
  CHECK_EQ_I64(cfg_set(c, "cpu.model", "pso", &err), SIM_OK);
  CHECK_EQ_STR(cfg_str(c, CK_CPU_MODEL), "pso");
  CHECK_EQ_I64(cfg_set(c, "run.seed", "9223372036854775807", &err), SIM_OK);
  CHECK_EQ_I64(cfg_int(c, CK_RUN_SEED), INT64_MAX);
  CHECK_EQ_I64(cfg_set(c, "cpu.order_address_deps", "false", &err), SIM_OK);
  CHECK_EQ_I64(cfg_int(c, CK_CPU_ORDER_ADDR_DEPS), 0);
  CHECK_EQ_I64(cfg_set(c, "workload.litmus", "x/y.litmus", &err), SIM_OK);
  CHECK_EQ_STR(cfg_str(c, CK_WORKLOAD_LITMUS), "x/y.litmus");
  CHECK_EQ_I64(cfg_set(c, "name", "exp", &err), SIM_OK);
  CHECK_EQ_STR(cfg_name(c), "exp");
  cfg_free(c);
}

static void t_set_errors(void) {
  expect_set_error("cpu.modle", "sc", "--set: cpu.modle: unknown key (did you mean cpu.model?)");
  expect_set_error("cpu.model", "foo", "--set: cpu.model: \"foo\" is not one of sc|tso|pso|weak|arm");
  expect_set_error("run.iterations", "ten",
                   "--set: run.iterations: expected an integer, got \"ten\"");
  expect_set_error("run.iterations", "1.5",
                   "--set: run.iterations: expected an integer, got \"1.5\"");
  expect_set_error("run.iterations", "", "--set: run.iterations: expected an integer, got \"\"");
  expect_set_error("run.iterations", " 5",
                   "--set: run.iterations: expected an integer, got \" 5\"");
  expect_set_error("cpu.cores", "-1", "--set: cpu.cores: -1 is out of range [0, 64]");
  expect_set_error(
      "run.seed", "99999999999999999999",
      "--set: run.seed: 99999999999999999999 is out of range [0, 9223372036854775807]");
  expect_set_error("cpu.atomic_width", "3", "--set: cpu.atomic_width: 3 is not 1, 2, 4 or 8");
  expect_set_error("cpu.order_address_deps", "yes",
                   "--set: cpu.order_address_deps: expected true or false, got \"yes\"");
  expect_set_error("sweep", "x",
                   "--set: sweep: unknown key (mmsim config --defaults lists every key)");
}

/* ---- Output (C2) ---- */

static void t_resolved_canonical(void) {
  cfg *a = load_ok(
      "{\"cpu\": {\"model\": \"sc\", \"store_buffer\": {\"entries\": 4}}, \"run.seed\": 7}");
  cfg *b = load_ok("{\"run\": {\"seed\": 7}, \"cpu.store_buffer.entries\": 4, \"_c\": 1,"
                   " \"cpu.model\": \"sc\", \"sweep\": {\"cpu.cores\": [1, 2]}}");
  cfg *d = load_ok(
      "{\"cpu\": {\"model\": \"sc\", \"store_buffer\": {\"entries\": 5}}, \"run.seed\": 7}");
  char ha[17], hb[17], hd[17];
  char *ra = cfg_resolved_json(a), *rb = cfg_resolved_json(b);
  cfg_hash(a, ha), cfg_hash(b, hb), cfg_hash(d, hd);
  CHECK_EQ_STR(ra, rb);
  CHECK_EQ_STR(ha, hb);
  CHECK(strcmp(ha, hd) != 0);
  CHECK_EQ_U64(strlen(ha), 16);
  CHECK_EQ_U64(strspn(ha, "0123456789abcdef"), 16);
  CHECK(!strstr(rb, "sweep"));
  /* Table order, nested by segment, every key present. */
  CHECK(strncmp(ra, "{\"cpu\":{\"model\":\"sc\",\"cores\":0,\"store_buffer\":{\"entries\":4,",
                58) == 0);
  for (int i = 0; i < CFG_NKEYS; i++) {
    const char *p = cfg_key_at((cfg_key_id)i)->path, *leaf = strrchr(p, '.') + 1;
    CHECK_CONTAINS(ra, fmt("\"%s\":", leaf));
  }
  CHECK_CONTAINS(ra, "\"seed\":7");
  CHECK_CONTAINS(ra, "\"order_address_deps\":true");
  /* A name is part of the resolved config. */
  CHECK_EQ_I64(cfg_set(a, "name", "n", NULL), SIM_OK);
  char *rn = cfg_resolved_json(a);
  CHECK(strncmp(rn, "{\"name\":\"n\",\"cpu\":", 18) == 0);
  free(ra), free(rb), free(rn);
  cfg_free(a), cfg_free(b), cfg_free(d);
}

static void t_resolved_round_trip(void) {
  cfg *a = cfg_new(), *b = cfg_new();
  sim_err err = {0};
  char ha[17], hb[17];
  CHECK_EQ_I64(cfg_set(a, "run.seed", "9223372036854775807", &err), SIM_OK);
  CHECK_EQ_I64(cfg_set(a, "workload.litmus", "a \"quoted\"\\path", &err), SIM_OK);
  CHECK_EQ_I64(cfg_set(a, "name", "rt", &err), SIM_OK);
  char *ra = cfg_resolved_json(a);
  if (cfg_load_string(b, "resolved", ra, &err) != SIM_OK) CHECK__FAIL("%s", err.msg);
  cfg_hash(a, ha), cfg_hash(b, hb);
  CHECK_EQ_STR(hb, ha);
  CHECK_EQ_I64(cfg_int(b, CK_RUN_SEED), INT64_MAX);
  CHECK_EQ_STR(cfg_str(b, CK_WORKLOAD_LITMUS), "a \"quoted\"\\path");
  free(ra);
  cfg_free(a), cfg_free(b);
}

static void t_hash_known_value(void) {
  /* FNV-1a 64 of the resolved text, checked against an independent loop. */
  cfg *c = cfg_new();
  char h[17], want[17];
  char *json = cfg_resolved_json(c);
  uint64_t x = 0xcbf29ce484222325ULL;
  for (const char *p = json; *p; p++) x = (x ^ (unsigned char)*p) * 0x100000001b3ULL;
  snprintf(want, sizeof want, "%016" PRIx64, x);
  cfg_hash(c, h);
  CHECK_EQ_STR(h, want);
  free(json);
  cfg_free(c);
}

static void t_source_json(void) {
  cfg *c =
      load_ok("{ \"name\" : \"s\",\n \"cpu.model\": \"sc\", \"sweep\": {\"cpu.cores\": [1,2]} }");
  char *s = cfg_source_json(c);
  CHECK_EQ_STR(s, "{\"name\":\"s\",\"cpu.model\":\"sc\",\"sweep\":{\"cpu.cores\":[1,2]}}");
  free(s);
  cfg_free(c);
}

/* ---- Sweep ---- */

static void t_sweep(void) {
  cfg *c = load_ok("{\"sweep\": {\"cpu.model\": [\"sc\", \"tso\"],"
                   " \"cpu\": {\"store_buffer.entries\": {\"from\": 2, \"to\": 8, \"step\": 3}},"
                   " \"cpu.order_address_deps\": [true, false],"
                   " \"net.jitter\": {\"from\": 4, \"to\": 0, \"step\": -2},"
                   " \"run.iterations\": [1e3]}}");
  CHECK_EQ_U64(cfg_sweep_nkeys(c), 5);
  CHECK_EQ_STR(cfg_sweep_key(c, 0), "cpu.model");
  CHECK_EQ_U64(cfg_sweep_nvalues(c, 0), 2);
  CHECK_EQ_STR(cfg_sweep_value(c, 0, 0), "sc");
  CHECK_EQ_STR(cfg_sweep_value(c, 0, 1), "tso");
  CHECK_EQ_STR(cfg_sweep_key(c, 1), "cpu.store_buffer.entries");
  CHECK_EQ_U64(cfg_sweep_nvalues(c, 1), 3); /* 2, 5, 8 */
  CHECK_EQ_STR(cfg_sweep_value(c, 1, 0), "2");
  CHECK_EQ_STR(cfg_sweep_value(c, 1, 1), "5");
  CHECK_EQ_STR(cfg_sweep_value(c, 1, 2), "8");
  CHECK_EQ_STR(cfg_sweep_value(c, 2, 1), "false");
  CHECK_EQ_U64(cfg_sweep_nvalues(c, 3), 3); /* 4, 2, 0 */
  CHECK_EQ_STR(cfg_sweep_value(c, 3, 2), "0");
  CHECK_EQ_STR(cfg_sweep_value(c, 4, 0), "1000");
  /* The values are --set text: each applies cleanly. */
  for (size_t i = 0; i < cfg_sweep_nkeys(c); i++)
    for (size_t j = 0; j < cfg_sweep_nvalues(c, i); j++)
      CHECK_EQ_I64(cfg_set(c, cfg_sweep_key(c, i), cfg_sweep_value(c, i, j), NULL), SIM_OK);
  /* The sweep does not change the values themselves. */
  cfg *d = load_ok("{\"sweep\": {\"cpu.model\": [\"sc\"]}}");
  CHECK_EQ_STR(cfg_str(d, CK_CPU_MODEL), "tso");
  cfg_free(c), cfg_free(d);
}

/* ---- Clones ---- */

static void t_clone_independent(void) {
  cfg *a = load_ok("{\"name\": \"orig\", \"cpu.model\": \"sc\", \"workload.litmus\": \"a.litmus\","
                   " \"sweep\": {\"cpu.cores\": [1, 2]}}");
  cfg *b = cfg_clone(a);
  char ha[17], hb[17];
  CHECK(b);
  cfg_hash(a, ha), cfg_hash(b, hb);
  CHECK_EQ_STR(hb, ha);
  CHECK_EQ_I64(cfg_set(b, "cpu.model", "weak", NULL), SIM_OK);
  CHECK_EQ_I64(cfg_set(b, "workload.litmus", "b.litmus", NULL), SIM_OK);
  CHECK_EQ_I64(cfg_set(b, "name", "copy", NULL), SIM_OK);
  CHECK_EQ_STR(cfg_str(a, CK_CPU_MODEL), "sc");
  CHECK_EQ_STR(cfg_str(a, CK_WORKLOAD_LITMUS), "a.litmus");
  CHECK_EQ_STR(cfg_name(a), "orig");
  cfg_free(a); /* the clone owns its own copies (ASan checks) */
  CHECK_EQ_STR(cfg_str(b, CK_CPU_MODEL), "weak");
  CHECK_EQ_STR(cfg_sweep_value(b, 0, 1), "2");
  char *src = cfg_source_json(b);
  CHECK_CONTAINS(src, "\"orig\"");
  free(src);
  cfg_free(b);
}

/* ---- mmsim config --defaults ---- */

static void t_print_defaults(void) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(f);
  cfg_print_defaults(f);
  fclose(f);
  CHECK_CONTAINS(buf, "RANGE / CHOICES");
  CHECK_CONTAINS(buf, "sc|tso|pso|weak|arm");
  CHECK_CONTAINS(buf, "1|2|4|8");
  CHECK_CONTAINS(buf, "[1, 1024]");
  for (int i = 0; i < CFG_NKEYS; i++) {
    const cfg_key *k = cfg_key_at((cfg_key_id)i);
    CHECK_CONTAINS(buf, fmt("\n%s ", k->path));
    CHECK_CONTAINS(buf, fmt("%.30s", k->doc));
  }
  /* Fits a 100-column terminal. */
  for (char *line = buf, *nl; *line; line = nl + 1) {
    nl = strchr(line, '\n');
    CHECK(nl);
    if (nl - line > 100) CHECK__FAIL("line longer than 100: %.*s", (int)(nl - line), line);
  }
  free(buf);
}

/* workload.litmus_hash follows the litmus file's text (resolved against
 * the config's folder), so the config hash does too; it cannot be set. */
static void t_litmus_hash(void) {
  char cpath[256], lpath[256], h1[17], h2[17], h3[17];
  sim_err err = {0};
  write_file("h.litmus", "X86 A\n{ x=0; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", lpath,
             sizeof lpath);
  write_file("h.json", "{\"workload\": {\"litmus\": \"h.litmus\"}}", cpath, sizeof cpath);
  cfg *c = cfg_new();
  CHECK_EQ_STR(cfg_str(c, CK_WORKLOAD_LITMUS_HASH), ""); /* no file named */
  CHECK_EQ_I64(cfg_load_file(c, cpath, &err), SIM_OK);
  CHECK_EQ_I64(strlen(cfg_str(c, CK_WORKLOAD_LITMUS_HASH)), 16);
  cfg_hash(c, h1);
  char first[17];
  snprintf(first, sizeof first, "%s", cfg_str(c, CK_WORKLOAD_LITMUS_HASH));
  write_file("h.litmus", "X86 A\n{ x=0; }\n P0 ;\n MOV [x],$2 ;\nexists (x=2)\n", lpath,
             sizeof lpath);
  cfg *d = cfg_new();
  CHECK_EQ_I64(cfg_load_file(d, cpath, &err), SIM_OK);
  CHECK(strcmp(cfg_str(d, CK_WORKLOAD_LITMUS_HASH), first) != 0);
  cfg_hash(d, h2);
  CHECK(strcmp(h1, h2) != 0);
  /* --set workload.litmus rehashes; the key itself is read-only. */
  CHECK_EQ_I64(cfg_set(d, "workload.litmus", "nothing-here.litmus", &err), SIM_OK);
  CHECK_EQ_STR(cfg_str(d, CK_WORKLOAD_LITMUS_HASH), "");
  CHECK_EQ_I64(cfg_set(d, "workload.litmus", "h.litmus", &err), SIM_OK);
  cfg_hash(d, h3);
  CHECK_EQ_STR(h3, h2);
  expect_set_error("workload.litmus_hash", "0",
                   "--set: workload.litmus_hash: read-only: computed from the litmus file");
  expect_load_error("{\"sweep\": {\"workload.litmus_hash\": [\"a\"]}}",
                    "sweep.workload.litmus_hash: read-only: computed from the litmus file");
  /* Errors past the loader name the file and the key. */
  CHECK_EQ_I64(cfg_set(d, "workload.litmus", "", &err), SIM_OK);
  CHECK_EQ_I64(cfg_litmus_path(d, lpath, sizeof lpath, &err), SIM_ECONFIG);
  CHECK_EQ_STR(err.msg, fmt("%s: workload.litmus: missing or empty: name the litmus file to run",
                            cpath));
  CHECK_EQ_I64(cfg_errf(c, &err, SIM_ECONFIG, CK_WORKLOAD_THREADS, "%d", 9), SIM_ECONFIG);
  CHECK_EQ_STR(err.msg, fmt("%s: workload.threads: 9", cpath));
  cfg_free(c), cfg_free(d);
}

static const check_case cases[] = {
    {"defaults", t_defaults},
    {"litmus_hash", t_litmus_hash},
    {"table", t_table},
    {"value_text", t_value_text},
    {"load_nested", t_load_nested},
    {"load_dotted", t_load_dotted},
    {"load_mixed", t_load_mixed},
    {"comments", t_comments},
    {"exact_integers", t_exact_integers},
    {"load_overlays", t_load_overlays},
    {"load_big_file", t_load_big_file},
    {"dir_of_bare_name", t_dir_of_bare_name},
    {"err_malformed", t_err_malformed},
    {"err_unknown_key", t_err_unknown_key},
    {"err_type", t_err_type},
    {"err_range", t_err_range},
    {"err_enum", t_err_enum},
    {"err_atomic_width", t_err_atomic_width},
    {"err_twice", t_err_twice},
    {"err_sweep", t_err_sweep},
    {"err_unreadable", t_err_unreadable},
    {"unchanged_after_error", t_unchanged_after_error},
    {"set", t_set},
    {"set_errors", t_set_errors},
    {"resolved_canonical", t_resolved_canonical},
    {"resolved_round_trip", t_resolved_round_trip},
    {"hash_known_value", t_hash_known_value},
    {"source_json", t_source_json},
    {"sweep", t_sweep},
    {"clone_independent", t_clone_independent},
    {"print_defaults", t_print_defaults},
    {0},
};

static void remove_tmp(void) {
  char p[256];
  if (!tmp_dir[0]) return;
  const char *names[] = {"x.json",    "a.json",   "sub/b.json", "sub",
                         "bare.json", "bad.json", "big.json"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) remove(tmp_path(names[i], p, sizeof p));
  rmdir(tmp_dir);
}

int main(int argc, char **argv) {
  int rc = check_main(cases, argc, argv);
  remove_tmp();
  return rc;
}
