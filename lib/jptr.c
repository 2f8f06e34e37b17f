/* jptr.c - JSON Pointers: compiled into tokens so lookups do no parsing. */
#include <stdlib.h>
#include <string.h>
#include "jptr.h"
#include "xalloc.h"

static long token_index(const char *t, size_t n)
{
	long v = 0;

	if (n == 0 || n > 9 || (n > 1 && t[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return -1;
		v = v * 10 + (t[i] - '0');
	}
	return v;
}

/* Unescape one token of n bytes at s into a new string; -1 on a bad "~". */
static int unescape_token(const char *s, size_t n, char **out, size_t *outlen)
{
	char *t = phx_xmalloc(n + 1);
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '~') {
			t[j++] = s[i];
			continue;
		}
		if (i + 1 < n && s[i + 1] == '0')
			t[j++] = '~';
		else if (i + 1 < n && s[i + 1] == '1')
			t[j++] = '/';
		else {
			free(t);
			return -1;
		}
		i++;
	}
	t[j] = '\0';
	*out = t;
	*outlen = j;
	return 0;
}

int phx_jptr_compile(phx_jptr *p, const char *s)
{
	size_t n = 0;

	memset(p, 0, sizeof *p);
	if (s[0] != '\0' && s[0] != '/')
		return -1;
	for (const char *c = s; *c; c++)
		n += *c == '/';
	p->text = phx_xstrdup(s);
	p->tok = phx_xcalloc(n + 1, sizeof *p->tok);
	p->toklen = phx_xcalloc(n + 1, sizeof *p->toklen);
	p->index = phx_xcalloc(n + 1, sizeof *p->index);
	const char *c = s;
	while (*c == '/') {
		const char *start = c + 1, *end = strchr(start, '/');
		size_t len = end ? (size_t)(end - start) : strlen(start);

		if (unescape_token(start, len, &p->tok[p->ntok], &p->toklen[p->ntok]) < 0) {
			phx_jptr_free(p);
			return -1;
		}
		p->index[p->ntok] = token_index(p->tok[p->ntok], p->toklen[p->ntok]);
		p->ntok++;
		c = start + len;
	}
	return 0;
}

void phx_jptr_free(phx_jptr *p)
{
	for (size_t i = 0; i < p->ntok; i++)
		free(p->tok[i]);
	free(p->tok);
	free(p->toklen);
	free(p->index);
	free(p->text);
	memset(p, 0, sizeof *p);
}

json_t *phx_jptr_get(const phx_jptr *p, const json_t *doc)
{
	json_t *v = (json_t *)doc;

	for (size_t i = 0; v && i < p->ntok; i++) {
		if (json_is_object(v))
			v = json_object_getn(v, p->tok[i], p->toklen[i]);
		else if (json_is_array(v) && p->index[i] >= 0)
			v = json_array_get(v, (size_t)p->index[i]);
		else
			v = NULL;
	}
	return v;
}

void phx_jptr_add_token(phx_buf *out, const char *tok, size_t len)
{
	phx_buf_addc(out, '/');
	for (size_t i = 0; i < len; i++) {
		if (tok[i] == '~')
			phx_buf_add(out, "~0", 2);
		else if (tok[i] == '/')
			phx_buf_add(out, "~1", 2);
		else
			phx_buf_addc(out, tok[i]);
	}
}
