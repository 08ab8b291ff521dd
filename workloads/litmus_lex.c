/* workloads/litmus_lex.c -- tokens of a litmus file, with their positions.
 *
 * One lexer serves both dialects and the herd parts around them.  It has no
 * buffer: peeking lexes from a copy of the state, so the parser may switch
 * the lexer's mode (c_code) at any token boundary without a stale lookahead.
 * Re-lexing a peeked token costs nothing that matters at parse time.
 *
 * Modes (litmus_lex.c_code):
 *   herd (false)  (* nested OCaml comments *); '|' is always one token (an
 *                 empty X86 cell is legal next to another bar); /\ \/ =>.
 *   C (true)      C comments; && and ||; "(*" is a parenthesis then a star.
 * A C-dialect file may also put C comments between its sections (after the
 * init block, between threads, after the condition), as herd7 accepts:
 * c_comments turns them on in herd mode too.  A slash followed by a star
 * or a slash starts nothing else there (slash-backslash is the conjunction).
 * Positions are 1-based; a column counts bytes (a tab is one column).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "litmus_int.h"

void litmus__lex_init(litmus_lex *lx, const char *src) {
  lx->src = lx->p = src;
  lx->line = lx->col = 1;
  lx->c_code = false;
  lx->c_comments = false;
}

static void adv(litmus_lex *lx, size_t n) {
  for (size_t i = 0; i < n && *lx->p; i++) {
    if (*lx->p == '\n') {
      lx->line++;
      lx->col = 1;
    } else {
      lx->col++;
    }
    lx->p++;
  }
}

/* Length of the herd comment at p ("(*" ... "*)", nested), or 0 if it does
 * not end. */
static size_t herd_comment_len(const char *p) {
  size_t i = 2;
  unsigned depth = 1;
  while (p[i]) {
    if (p[i] == '(' && p[i + 1] == '*') {
      depth++;
      i += 2;
    } else if (p[i] == '*' && p[i + 1] == ')') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      i++;
    }
  }
  return 0;
}

int litmus__lex_skip_blank(litmus_lex *lx, litmus_comment_fn fn, void *ctx) {
  for (;;) {
    const char *p = lx->p;
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
      adv(lx, 1);
    } else if (!lx->c_code && p[0] == '(' && p[1] == '*') {
      size_t n = herd_comment_len(p);
      if (n == 0) return 0; /* the next token reports it */
      if (fn) {
        int rc = fn(ctx, p + 2, n - 4);
        if (rc) return rc;
      }
      adv(lx, n);
    } else if ((lx->c_code || lx->c_comments) && p[0] == '/' && p[1] == '*') {
      const char *e = strstr(p + 2, "*/");
      if (!e) return 0;
      if (fn) {
        int rc = fn(ctx, p + 2, (size_t)(e - p - 2));
        if (rc) return rc;
      }
      adv(lx, (size_t)(e + 2 - p));
    } else if ((lx->c_code || lx->c_comments) && p[0] == '/' && p[1] == '/') {
      while (*lx->p && *lx->p != '\n') adv(lx, 1);
    } else {
      return 0;
    }
  }
}

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

void litmus__lex_next(litmus_lex *lx, litmus_tok *tok) {
  litmus__lex_skip_blank(lx, NULL, NULL);
  const char *p = lx->p;
  memset(tok, 0, sizeof *tok);
  tok->s = p;
  tok->line = lx->line;
  tok->col = lx->col;
  size_t n = 1;

  if (*p == '\0') {
    tok->kind = LT_EOF;
    n = 0;
  } else if (ident_start(*p)) {
    while (ident_char(p[n])) n++;
    tok->kind = LT_IDENT;
  } else if (isdigit((unsigned char)*p)) {
    uint64_t v = 0;
    bool big = false;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
      for (n = 2; isxdigit((unsigned char)p[n]); n++) {
        unsigned d = isdigit((unsigned char)p[n]) ? (unsigned)(p[n] - '0')
                                                  : (unsigned)(tolower((unsigned char)p[n]) - 'a' + 10);
        if (v > (UINT64_MAX >> 4)) big = true;
        v = v << 4 | d;
      }
    } else {
      for (n = 0; isdigit((unsigned char)p[n]); n++) {
        unsigned d = (unsigned)(p[n] - '0');
        if (v > (UINT64_MAX - d) / 10) big = true;
        v = v * 10 + d;
      }
    }
    tok->kind = big ? LT_BAD : LT_NUM;
    tok->num = v;
  } else if (*p == '"') {
    while (p[n] && p[n] != '"' && p[n] != '\n') n++;
    if (p[n] == '"') {
      n++;
      tok->kind = LT_STRING;
    } else {
      tok->kind = LT_UNTERM;
    }
  } else if ((p[0] == '(' && p[1] == '*' && !lx->c_code) ||
             (p[0] == '/' && p[1] == '*' && (lx->c_code || lx->c_comments))) {
    tok->kind = LT_UNTERM; /* skip_blank stopped here: the comment never ends */
    n = 2;
  } else {
    char c1 = p[1];
    switch (*p) {
    case '{': tok->kind = LT_LBRACE; break;
    case '}': tok->kind = LT_RBRACE; break;
    case '(': tok->kind = LT_LPAREN; break;
    case ')': tok->kind = LT_RPAREN; break;
    case '[': tok->kind = LT_LBRACK; break;
    case ']': tok->kind = LT_RBRACK; break;
    case ';': tok->kind = LT_SEMI; break;
    case ',': tok->kind = LT_COMMA; break;
    case ':': tok->kind = LT_COLON; break;
    case '$': tok->kind = LT_DOLLAR; break;
    case '#': tok->kind = LT_HASH; break;
    case '+': tok->kind = LT_PLUS; break;
    case '-': tok->kind = LT_MINUS; break;
    case '*': tok->kind = LT_STAR; break;
    case '^': tok->kind = LT_CARET; break;
    case '~': tok->kind = LT_TILDE; break;
    case '=':
      if (c1 == '=') tok->kind = LT_EQ, n = 2;
      else if (c1 == '>' && !lx->c_code) tok->kind = LT_IMPL, n = 2;
      else tok->kind = LT_ASSIGN;
      break;
    case '!':
      if (c1 == '=') tok->kind = LT_NE, n = 2;
      else tok->kind = LT_BANG;
      break;
    case '<':
      if (c1 == '=') tok->kind = LT_LE, n = 2;
      else tok->kind = LT_LT;
      break;
    case '>':
      if (c1 == '=') tok->kind = LT_GE, n = 2;
      else tok->kind = LT_GT;
      break;
    case '&':
      if (c1 == '&' && lx->c_code) tok->kind = LT_ANDAND, n = 2;
      else tok->kind = LT_AMP;
      break;
    case '|':
      if (c1 == '|' && lx->c_code) tok->kind = LT_OROR, n = 2;
      else tok->kind = LT_BAR;
      break;
    case '/':
      if (c1 == '\\' && !lx->c_code) tok->kind = LT_CONJ, n = 2;
      else tok->kind = LT_BAD;
      break;
    case '\\':
      if (c1 == '/' && !lx->c_code) tok->kind = LT_DISJ, n = 2;
      else tok->kind = LT_BAD;
      break;
    default: tok->kind = LT_BAD; break;
    }
  }
  tok->len = (unsigned)n;
  adv(lx, n);
}

void litmus__lex_peek(const litmus_lex *lx, litmus_tok *tok) {
  litmus_lex copy = *lx;
  litmus__lex_next(&copy, tok);
}

void litmus__lex_peek2(const litmus_lex *lx, litmus_tok *tok) {
  litmus_lex copy = *lx;
  litmus__lex_next(&copy, tok);
  litmus__lex_next(&copy, tok);
}

void litmus__lex_skip_line(litmus_lex *lx) {
  while (*lx->p && *lx->p != '\n') adv(lx, 1);
}

void litmus__lex_where(const litmus_lex *lx, const char *at, unsigned *line, unsigned *col) {
  unsigned l = 1, c = 1;
  for (const char *q = lx->src; q < at && *q; q++) {
    if (*q == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  *line = l;
  *col = c;
}

bool litmus__tok_is(const litmus_tok *tok, const char *word) {
  return tok->kind == LT_IDENT && strlen(word) == tok->len && memcmp(tok->s, word, tok->len) == 0;
}

bool litmus__tok_iis(const litmus_tok *tok, const char *word) {
  return tok->kind == LT_IDENT && strlen(word) == tok->len && strncasecmp(tok->s, word, tok->len) == 0;
}
