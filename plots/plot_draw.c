/* plots/plot_draw.c -- a figure's three files, made all or not at all.
 *
 * plot__draw writes a figure's .dat and .gp and has gnuplot draw OUT, in a
 * fresh folder beside OUT (mkdtemp ".STEM.plot-XXXXXX"), under the files'
 * own names, so the script is the one that ships and gnuplot's messages
 * name STEM.gp.  Only when gnuplot succeeded and OUT checks out are the
 * three renamed into place (one rename(2) each, same file system); any
 * failure removes them, so a failed plot leaves no .dat, no empty .gp and
 * no half image, and an earlier figure of the same name stays as it was.
 * The one exception: gnuplot not on PATH.  Then the .dat and .gp are put in
 * place (they are complete) for the user to draw elsewhere, and the message
 * says so.  (Rejected: temporary names beside OUT, such as STEM.tmp.gp:
 * the script would name the temporary .dat and output, so it would have to
 * be written twice, and gnuplot's errors would quote the wrong file.)
 *
 * OUT checks out when it is a whole image, since gnuplot exits 0 on a full
 * disk with a truncated file: non-empty, a PNG with its signature and its
 * closing IEND chunk as the last 12 bytes, an SVG starting "<?xml" or
 * "<svg" and ending "</svg>" (trailing whitespace aside).  A figure that
 * fails this names OUT and quotes gnuplot's stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot_int.h"

/* A file of the figure in folder dir, malloc'd. */
static char *in_dir(const char *dir, const char *base) {
  char *s = NULL;
  return asprintf(&s, "%s/%s", dir, base) < 0 ? NULL : s;
}

static int write_one(const char *path, const char *shown, plot__write_fn *fn, const void *fig,
                     const plot__files *f, sim_err *err) {
  FILE *out = fopen(path, "w");
  if (!out) return sim_errf(err, SIM_EIO, "cannot write %s: %s", shown, strerror(errno));
  fn(out, fig, f);
  int bad = ferror(out);
  if (fclose(out) != 0) bad = 1;
  return bad ? sim_errf(err, SIM_EIO, "writing %s failed (disk full?)", shown) : 0;
}

/* OUT's last bytes, up to n, into buf; how many were read (-1: cannot). */
static long read_tail(FILE *f, long size, unsigned char *buf, long n) {
  if (n > size) n = size;
  if (fseek(f, size - n, SEEK_SET) != 0) return -1;
  return (long)fread(buf, 1, (size_t)n, f) == n ? n : -1;
}

int plot__check_image(const char *path, int svg, const char **why) {
  static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static const unsigned char png_iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  struct stat st;
  *why = "no such file";
  if (stat(path, &st) != 0) return 0;
  *why = "an empty file";
  if (st.st_size == 0) return 0;
  FILE *f = fopen(path, "rb");
  *why = "an unreadable file";
  if (!f) return 0;
  unsigned char head[8] = {0}, tail[64];
  size_t nh = fread(head, 1, sizeof head, f);
  long nt = read_tail(f, (long)st.st_size, tail, (long)sizeof tail);
  fclose(f);
  if (nt < 0) return 0;
  if (!svg) {
    *why = "an incomplete PNG (no PNG signature)";
    if (nh < 8 || memcmp(head, png_sig, 8) != 0) return 0;
    *why = "an incomplete PNG (no IEND chunk at its end)";
    return nt >= 12 + 8 && memcmp(tail + nt - 12, png_iend, 12) == 0;
  }
  *why = "an incomplete SVG (no <?xml or <svg at its start)";
  if (nh < 4 || (memcmp(head, "<?xm", 4) != 0 && memcmp(head, "<svg", 4) != 0)) return 0;
  while (nt > 0 && strchr(" \t\r\n", tail[nt - 1])) nt--;
  *why = "an incomplete SVG (no </svg> at its end)";
  return nt >= 6 && memcmp(tail + nt - 6, "</svg>", 6) == 0;
}

int plot__draw(const plot__files *f, plot__write_fn *dat, plot__write_fn *gp, const void *fig,
               sim_err *err) {
  char *tmp = NULL;
  if (asprintf(&tmp, "%s/.%s.plot-XXXXXX", f->dir, f->out_base) < 0)
    return sim_errf(err, SIM_ENOMEM, "out of memory");
  if (!mkdtemp(tmp)) {
    int rc = sim_errf(err, SIM_EIO, "cannot write %s: cannot make a folder in %s: %s", f->dat,
                      f->dir, strerror(errno));
    free(tmp);
    return rc;
  }
  char *tdat = in_dir(tmp, f->dat_base), *tgp = in_dir(tmp, f->gp_base),
       *tout = in_dir(tmp, f->out_base);
  int rc = !tdat || !tgp || !tout ? sim_errf(err, SIM_ENOMEM, "out of memory") : 0;
  if (!rc) rc = write_one(tdat, f->dat, dat, fig, f, err);
  if (!rc) rc = write_one(tgp, f->gp, gp, fig, f, err);
  int missing = 0;
  if (!rc) rc = plot__run(f, tmp, &missing, err);
  /* OUT first: if it cannot take the figure's place, nothing has moved. */
  if (!rc && rename(tout, f->out) != 0)
    rc = sim_errf(err, SIM_EIO, "cannot write %s: %s", f->out, strerror(errno));
  else if (!rc || missing) { /* the .dat and .gp go in place (file comment) */
    if (rename(tdat, f->dat) != 0 || rename(tgp, f->gp) != 0) {
      if (!rc) rc = sim_errf(err, SIM_EIO, "cannot move %s and %s into %s: %s", f->dat_base,
                             f->gp_base, f->dir, strerror(errno));
    } else if (missing) {
      size_t n = strlen(err->msg);
      snprintf(err->msg + n, sizeof err->msg - n, " (wrote %s and %s: `gnuplot %s` there draws %s)",
               f->dat, f->gp, f->gp_base, f->out_base);
    }
  }
  if (tdat) unlink(tdat);
  if (tgp) unlink(tgp);
  if (tout) unlink(tout);
  rmdir(tmp);
  free(tdat);
  free(tgp);
  free(tout);
  free(tmp);
  return rc;
}
