/* llm_fields.c - the askable-fields config of phx-llm: a small line format
 * so an operator can add a field or a source without a rebuild. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "llm_fields.h"
#include "xalloc.h"

#define MAX_WORDS 64

typedef struct ask_line {
	char *source;
	int *idx;
	size_t n;
} ask_line;

struct phx_llm_fields {
	phx_llm_field *f;
	size_t n;
	ask_line *ask;
	size_t nask;
};

/* Split s[0..n) at blanks into words[] (pointers into a copy in *store). */
static size_t split_words(const char *s, size_t n, char **store, char **words, size_t max)
{
	char *c = phx_xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	*store = c;
	size_t k = 0;
	char *p = c;
	while (*p && k < max) {
		p += strspn(p, " \t\r");
		if (!*p)
			break;
		words[k++] = p;
		p += strcspn(p, " \t\r");
		if (*p)
			*p++ = '\0';
	}
	return k;
}

static int parse_bound(const char *w, int *has, double *v)
{
	if (strcmp(w, "-") == 0) {
		*has = 0;
		return 0;
	}
	char *end;
	errno = 0;
	*v = strtod(w, &end);
	*has = 1;
	return (errno || end == w || *end) ? -1 : 0;
}

static void split_evidence(phx_llm_field *fd, const char *w)
{
	if (strcmp(w, "-") == 0)
		return;
	const char *p = w;
	while (*p) {
		size_t l = strcspn(p, ",");
		if (l) {
			fd->evidence = phx_xrealloc(fd->evidence,
						    (fd->nevidence + 1) * sizeof *fd->evidence);
			fd->evidence[fd->nevidence++] = phx_xstrndup(p, l);
		}
		p += l;
		if (*p == ',')
			p++;
	}
}

/* The rest of the original line after word number k, for the description. */
static const char *rest_after(char **words, size_t k, const char *copy, const char *line)
{
	const char *w = words[k];
	return line + (w - copy) + strlen(w);
}

static const char *add_field(phx_llm_fields *F, char **w, size_t k, const char *copy,
			     const char *line, size_t len)
{
	if (k < 8)
		return "a field line needs NAME PATH TYPE MIN MAX EVIDENCE DESCRIPTION";
	if (phx_llm_field_index(F, w[1]) >= 0)
		return "field defined twice";
	const char *dot = strchr(w[2], '.');
	if (!dot || dot == w[2] || !dot[1] || strchr(dot + 1, '.'))
		return "PATH must be OBJECT.MEMBER";
	phx_llm_field fd = { 0 };
	if (strcmp(w[3], "integer") == 0)
		fd.type = PHX_LLM_INTEGER;
	else if (strcmp(w[3], "number") == 0)
		fd.type = PHX_LLM_NUMBER;
	else if (strcmp(w[3], "boolean") == 0)
		fd.type = PHX_LLM_BOOLEAN;
	else
		return "TYPE must be integer, number or boolean";
	if (parse_bound(w[4], &fd.has_min, &fd.min) || parse_bound(w[5], &fd.has_max, &fd.max))
		return "MIN and MAX must be numbers or '-'";
	fd.name = phx_xstrdup(w[1]);
	fd.object = phx_xstrndup(w[2], (size_t)(dot - w[2]));
	fd.member = phx_xstrdup(dot + 1);
	split_evidence(&fd, w[6]);
	const char *d = rest_after(w, 6, copy, line);
	const char *end = line + len;
	d += strspn(d, " \t");
	while (end > d && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	fd.desc = phx_xstrndup(d, (size_t)(end - d));
	F->f = phx_xrealloc(F->f, (F->n + 1) * sizeof *F->f);
	F->f[F->n++] = fd;
	return NULL;
}

static const char *add_ask(phx_llm_fields *F, char **w, size_t k)
{
	if (k < 3)
		return "an ask line needs SOURCE NAME...";
	ask_line a = { phx_xstrdup(w[1]), phx_xmalloc((k - 2) * sizeof(int)), 0 };
	for (size_t i = 2; i < k; i++) {
		int ix = phx_llm_field_index(F, w[i]);
		if (ix < 0) {
			free(a.source);
			free(a.idx);
			return "ask names a field not defined above it";
		}
		a.idx[a.n++] = ix;
	}
	F->ask = phx_xrealloc(F->ask, (F->nask + 1) * sizeof *F->ask);
	F->ask[F->nask++] = a;
	return NULL;
}

phx_llm_fields *phx_llm_fields_parse(const char *text, const char *name, char **err)
{
	phx_llm_fields *F = phx_xcalloc(1, sizeof *F);
	unsigned lineno = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		lineno++;
		char *copy, *w[MAX_WORDS];
		size_t k = split_words(p, len, &copy, w, MAX_WORDS);
		const char *why = NULL;
		if (k == 0 || w[0][0] == '#')
			why = NULL;
		else if (strcmp(w[0], "field") == 0)
			why = add_field(F, w, k, copy, p, len);
		else if (strcmp(w[0], "ask") == 0)
			why = add_ask(F, w, k);
		else
			why = "unknown line (field or ask expected)";
		free(copy);
		if (why) {
			if (err) {
				phx_buf b = PHX_BUF_INIT;
				phx_buf_printf(&b, "%s:%u: %s", name, lineno, why);
				*err = phx_buf_steal(&b);
			}
			phx_llm_fields_free(F);
			return NULL;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return F;
}

void phx_llm_fields_free(phx_llm_fields *F)
{
	if (!F)
		return;
	for (size_t i = 0; i < F->n; i++) {
		phx_llm_field *fd = &F->f[i];
		free(fd->name);
		free(fd->object);
		free(fd->member);
		free(fd->desc);
		for (size_t j = 0; j < fd->nevidence; j++)
			free(fd->evidence[j]);
		free(fd->evidence);
	}
	for (size_t i = 0; i < F->nask; i++) {
		free(F->ask[i].source);
		free(F->ask[i].idx);
	}
	free(F->f);
	free(F->ask);
	free(F);
}

size_t phx_llm_fields_count(const phx_llm_fields *F) { return F->n; }

const phx_llm_field *phx_llm_field_at(const phx_llm_fields *F, size_t i)
{
	return i < F->n ? &F->f[i] : NULL;
}

int phx_llm_field_index(const phx_llm_fields *F, const char *name)
{
	for (size_t i = 0; i < F->n; i++)
		if (strcmp(F->f[i].name, name) == 0)
			return (int)i;
	return -1;
}

size_t phx_llm_fields_for(const phx_llm_fields *F, const char *source, int *idx, size_t max)
{
	const ask_line *use = NULL;
	for (size_t i = 0; i < F->nask; i++) {
		if (source && strcmp(F->ask[i].source, source) == 0) {
			use = &F->ask[i];
			break;
		}
		if (strcmp(F->ask[i].source, "*") == 0 && !use)
			use = &F->ask[i];
	}
	size_t n = 0;
	for (size_t i = 0; use && i < use->n && n < max; i++)
		idx[n++] = use->idx[i];
	return n;
}

const char *phx_llm_type_name(phx_llm_type t)
{
	return t == PHX_LLM_INTEGER ? "integer" : t == PHX_LLM_NUMBER ? "number" : "boolean";
}
