/* mls_fixture.h - what the MLS unit tests share: reading a fixture page of
 * tests/fixtures/mls (NAME.html with its URL in NAME.url) and a value of a
 * record by JSON Pointer. */
#ifndef PHX_MLS_FIXTURE_H
#define PHX_MLS_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "jptr.h"
#include "mls_detail.h"
#include "state.h"

static inline char *fx_read(const char *name, const char *ext, size_t *len)
{
	const char *top = getenv("PHX_TOP") ? getenv("PHX_TOP") : ".";
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/mls/%s%s", top, name, ext);
	char *buf = phx_read_file(path, len);
	if (!buf)
		printf("# cannot open %s\n", path);
	return buf;
}

/* Extract fixture NAME; *code set on a refusal (and NULL returned). */
static inline json_t *fx_extract(const phx_mls_selectors *s, const char *name, const char **code)
{
	size_t len = 0;
	char *html = fx_read(name, ".html", &len);
	char *url = fx_read(name, ".url", NULL);
	json_t *rec = NULL;
	char reason[512];
	*code = NULL;
	if (html && url) {
		url[strcspn(url, "\n")] = '\0';
		if (phx_mls_extract_detail(s, html, len, url, &rec, code, reason,
					   sizeof reason) != 0)
			printf("# %s: %s: %s\n", name, *code, reason);
	}
	free(html);
	free(url);
	return rec;
}

static inline json_t *at(const json_t *doc, const char *ptr)
{
	phx_jptr p;
	if (phx_jptr_compile(&p, ptr) != 0)
		return NULL;
	json_t *v = phx_jptr_get(&p, doc);
	phx_jptr_free(&p);
	return v;
}

static inline const char *at_s(const json_t *doc, const char *ptr)
{
	const char *s = json_string_value(at(doc, ptr));
	return s ? s : "(not a string)";
}

static inline long long at_i(const json_t *doc, const char *ptr)
{
	json_t *v = at(doc, ptr);
	return json_is_integer(v) ? json_integer_value(v) : -999999;
}

static inline double at_n(const json_t *doc, const char *ptr)
{
	json_t *v = at(doc, ptr);
	return json_is_number(v) ? json_number_value(v) : -999999;
}

static inline int at_null(const json_t *doc, const char *ptr)
{
	return json_is_null(at(doc, ptr));
}

#endif
