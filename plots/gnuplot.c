/* plots/gnuplot.c -- the gnuplot side of every figure: where its files go,
 * the house style, and running gnuplot as a program.
 *
 * The house style (P1 in plot_int.h) is the one string `style` below: DejaVu
 * Sans 11, white background, an L-shaped border, light grey grid behind the
 * data, the key outside on the right, and the Okabe-Ito colour-blind-safe
 * palette as linetypes 1..8 (each with its own point shape, so series stay
 * apart in grey print).  Change the look here and every figure follows.
 *
 * The terminal is chosen inside the script, not here: for .png it asks
 * gnuplot's own GPVAL_TERMINALS for pngcairo and falls back to the libgd png
 * terminal, so the same .gp works on a gnuplot built without cairo.  For
 * .svg it is the svg terminal.  noenhanced everywhere: parameter names like
 * cpu.store_buffer.entries must not turn their underscores into subscripts.
 *
 * gnuplot runs by fork/exec (rejected: popen, which goes through /bin/sh and
 * would need the script path quoted for a shell, and cannot chdir the child
 * without more shell).  The child chdirs to the folder plot__draw made
 * beside the output (P2, P4); its stderr comes back through a pipe so a
 * failure reports gnuplot's own words, and exit 0 is not taken on trust:
 * the image must be whole (plot__check_image), since gnuplot exits 0 on a
 * full disk.
 * PATH is searched here, before forking, so "not installed" is told apart
 * from "failed" with a message that says what to install.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../results/db.h"
#include "plot_int.h"

#define PLOT_W_PX 960
#define PLOT_H_PX 600
#define PLOT_FONT "DejaVu Sans,11"

static const char style[] =
    "# --- mmsim house style (plots/gnuplot.c): the same in every figure ---\n"
    "set encoding utf8\n"
    "set border 3 front lc rgb '#4d4d4d' lw 1\n"
    "set tics nomirror out scale 0.6\n"
    "set grid back xtics ytics lt 1 lc rgb '#e3e3e3' lw 1\n"
    "set key outside right top vertical Left reverse samplen 2 spacing 1.2\n"
    "set style fill solid 0.85 border lc rgb '#333333'\n"
    "set bars 1.0\n"
    "set datafile missing '?'\n"
    "set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 1.2   # blue\n"
    "set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 1.1   # vermillion\n"
    "set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 1.4   # bluish green\n"
    "set linetype 4 lc rgb '#CC79A7' lw 2 pt 11 ps 1.4  # reddish purple\n"
    "set linetype 5 lc rgb '#E69F00' lw 2 pt 13 ps 1.3  # orange\n"
    "set linetype 6 lc rgb '#56B4E9' lw 2 pt 15 ps 1.3  # sky blue\n"
    "set linetype 7 lc rgb '#000000' lw 2 pt 7 ps 1.0   # black\n"
    "set linetype 8 lc rgb '#999999' lw 2 pt 5 ps 1.0   # grey\n"
    "set linetype cycle 8\n"
    "# --- end of house style ---\n";

/* ---- Files ---- */

static char *dup_printf(const char *fmt, const char *a, const char *b) {
  char *s = NULL;
  return asprintf(&s, fmt, a, b) < 0 ? NULL : s;
}

int plot__files_init(plot__files *f, const char *out, sim_err *err) {
  memset(f, 0, sizeof *f);
  if (!out || !*out) return sim_errf(err, SIM_EINVAL, "no output file given (-o OUT.png)");
  const char *slash = strrchr(out, '/');
  const char *base = slash ? slash + 1 : out;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base || (strcasecmp(dot, ".png") && strcasecmp(dot, ".svg")))
    return sim_errf(err, SIM_EINVAL,
                    "output '%s' must end in .png or .svg", out);
  f->svg = strcasecmp(dot, ".svg") == 0;
  char *stem = strndup(base, (size_t)(dot - base));
  f->dir = slash ? strndup(out, slash == out ? 1 : (size_t)(slash - out)) : strdup(".");
  f->out = strdup(out);
  f->out_base = strdup(base);
  if (stem) {
    f->dat_base = dup_printf("%s%s", stem, ".dat");
    f->gp_base = dup_printf("%s%s", stem, ".gp");
  }
  if (f->dir && f->dat_base && f->gp_base) {
    f->dat = dup_printf("%s/%s", f->dir, f->dat_base);
    f->gp = dup_printf("%s/%s", f->dir, f->gp_base);
  }
  free(stem);
  if (!f->dir || !f->out || !f->out_base || !f->dat || !f->gp) {
    plot__files_free(f);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  return 0;
}

void plot__files_free(plot__files *f) {
  free(f->dir);
  free(f->out);
  free(f->dat);
  free(f->gp);
  free(f->out_base);
  free(f->dat_base);
  free(f->gp_base);
  memset(f, 0, sizeof *f);
}

/* ---- Database ---- */

int plot__open_db(const char *path, sqlite3 **h, sim_err *err) {
  int rc = db_sqlite_open_readonly(path, h, err); /* P3: the schema checks */
  if (!rc) sqlite3_busy_timeout(*h, 30000);
  return rc;
}

/* ---- Script text ---- */

void plot__quote(FILE *gp, const char *s) {
  fputc('\'', gp);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', gp); /* gnuplot: '' inside '...' */
    fputc(*s == '\n' ? ' ' : *s, gp);
  }
  fputc('\'', gp);
}

void plot__comment(FILE *f, const char *s) {
  for (; *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void plot__dat_source(FILE *f, const plot_opts *o, const char *x_note) {
  fputs("# db: ", f);
  plot__comment(f, o->db_path);
  fputs("\n# x: ", f);
  plot__comment(f, o->x);
  fputs(x_note, f);
  fputs("   y: ", f);
  plot__comment(f, o->y);
  if (o->by) {
    fputs("   by: ", f);
    plot__comment(f, o->by);
  }
  if (o->where && *o->where) {
    fputs("\n# where: ", f);
    plot__comment(f, o->where);
  }
  if (o->experiment) {
    fputs("\n# experiment: ", f);
    plot__comment(f, o->experiment);
  }
}

void plot__preamble(FILE *gp, const plot__files *f, const char *what, int width_px) {
  int w = width_px > 0 ? width_px : PLOT_W_PX;
  fputs("# mmsim figure: ", gp);
  plot__comment(gp, what);
  fprintf(gp, "\n# Data: %s.  Regenerate: cd to this directory; gnuplot %s\n\n",
          f->dat_base, f->gp_base);
  if (f->svg) {
    fprintf(gp, "set terminal svg size %d,%d dynamic font '%s' noenhanced "
                "background rgb 'white'\n", w, PLOT_H_PX, PLOT_FONT);
  } else {
    fprintf(gp,
            "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
            "  set terminal pngcairo size %d,%d font '%s' noenhanced background rgb 'white'\n"
            "} else {\n"
            "  set terminal png size %d,%d font '%s' noenhanced background rgb 'white'\n"
            "}\n",
            w, PLOT_H_PX, PLOT_FONT, w, PLOT_H_PX, PLOT_FONT);
  }
  fputs("set output ", gp);
  plot__quote(gp, f->out_base);
  fputs("\n\n", gp);
  fputs(style, gp);
  fputc('\n', gp);
}

/* s cut to PLOT_TITLE_WHERE_MAX characters, as a gnuplot string. */
static void quote_cut(FILE *gp, const char *s) {
  size_t n = strlen(s);
  char line[PLOT_TITLE_WHERE_MAX + 4];
  snprintf(line, sizeof line, "%.*s%s", PLOT_TITLE_WHERE_MAX - (n > PLOT_TITLE_WHERE_MAX ? 3 : 0),
           s, n > PLOT_TITLE_WHERE_MAX ? "..." : "");
  plot__quote(gp, line);
}

void plot__title(FILE *gp, const plot_opts *o, const char *what, const char *pooled) {
  fputs("set title ", gp);
  plot__quote(gp, o->title ? o->title : what);
  if (!o->title && o->where && *o->where) {
    /* The where as a second line, cut so it fits the figure's width; the
     * .dat header and the .gp comment keep it whole. */
    fputs(" . \"\\n\" . ", gp);
    quote_cut(gp, o->where);
  }
  if (pooled) { /* --pool: said even under the user's own title */
    fputs(" . \"\\n\" . ", gp);
    quote_cut(gp, pooled);
  }
  fputc('\n', gp);
  if (o->where && *o->where) {
    fputs("# where: ", gp);
    plot__comment(gp, o->where);
    fputc('\n', gp);
  }
  if (pooled) {
    fputs("# ", gp);
    plot__comment(gp, pooled);
    fputc('\n', gp);
  }
}

void plot__key_for(FILE *gp, size_t longest_name) {
  if (longest_name > PLOT_KEY_RIGHT_MAX) fputs("set key below horizontal\n", gp);
}

/* ---- Running gnuplot ---- */

/* The gnuplot on PATH, malloc'd; NULL if none. */
static char *find_gnuplot(void) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = path;; p++) {
    const char *end = strchr(p, ':');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *cand = NULL;
    if (asprintf(&cand, "%.*s/gnuplot", (int)n, n ? p : ".") >= 0) {
      struct stat st;
      if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
        return cand;
      free(cand);
    }
    if (!end) return NULL;
    p = end;
  }
}

/* The tail of gnuplot's stderr worth quoting in a 512-byte message. */
static const char *tail_of(char *buf, size_t n) {
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = '\0';
  for (char *c = buf; *c; c++)
    if (*c == '\n') *c = ' ';
  return n > 300 ? buf + n - 300 : buf;
}

int plot__run(const plot__files *f, const char *run_dir, int *missing, sim_err *err) {
  char *exe = find_gnuplot();
  *missing = !exe;
  if (!exe)
    return sim_errf(err, SIM_ETOOL, "gnuplot not found on PATH: apt-get install gnuplot-nox");
  char *out = NULL;
  if (asprintf(&out, "%s/%s", run_dir, f->out_base) < 0) {
    free(exe);
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  }
  int fds[2];
  if (pipe(fds) != 0) {
    free(exe);
    free(out);
    return sim_errf(err, SIM_ETOOL, "pipe: %s", strerror(errno));
  }
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    free(exe);
    free(out);
    return sim_errf(err, SIM_ETOOL, "fork: %s", strerror(e));
  }
  if (pid == 0) {
    /* Child: only async-signal-safe calls from here on. */
    int nul = open("/dev/null", O_RDWR);
    if (nul >= 0) {
      dup2(nul, 0);
      dup2(nul, 1);
    }
    dup2(fds[1], 2);
    close(fds[0]);
    if (chdir(run_dir) != 0) {
      static const char m[] = "cannot enter the output directory\n";
      (void)!write(2, m, sizeof m - 1);
      _exit(126);
    }
    char *const argv[] = {"gnuplot", f->gp_base, NULL};
    execv(exe, argv);
    static const char m[] = "cannot execute gnuplot\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(127);
  }
  close(fds[1]);
  free(exe);
  char buf[4096];
  size_t n = 0;
  for (;;) {
    if (n == sizeof buf - 1) { /* keep the newer half: the error is last */
      memmove(buf, buf + n / 2, n - n / 2);
      n -= n / 2;
    }
    ssize_t k = read(fds[0], buf + n, sizeof buf - 1 - n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    n += (size_t)k;
  }
  buf[n] = '\0';
  close(fds[0]);
  int status, rc = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      free(out);
      return sim_errf(err, SIM_ETOOL, "waiting for gnuplot: %s", strerror(errno));
    }
  const char *why;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char how[48];
    if (WIFEXITED(status)) snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
    else snprintf(how, sizeof how, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    rc = sim_errf(err, SIM_ETOOL, "gnuplot failed on %s (%s): %s", f->gp, how,
                  n ? tail_of(buf, n) : "(no message)");
  } else if (!plot__check_image(out, f->svg, &why)) {
    /* gnuplot exits 0 on a full disk: the file itself must be whole. */
    rc = sim_errf(err, SIM_ETOOL, "gnuplot ran %s but wrote %s as %s (disk full?)%s%s", f->gp,
                  f->out, why, n ? "; gnuplot said: " : "", n ? tail_of(buf, n) : "");
  }
  free(out);
  return rc;
}
