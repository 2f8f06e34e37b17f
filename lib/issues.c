/* issues.c - the findings list, reused from record to record. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "issues.h"
#include "xalloc.h"

struct phx_issues {
	phx_finding *items;
	size_t n, cap;
	size_t errors, warnings;
};

phx_issues *phx_issues_new(void)
{
	return phx_xcalloc(1, sizeof(phx_issues));
}

void phx_issues_clear(phx_issues *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free((char *)list->items[i].path);
		free((char *)list->items[i].message);
	}
	list->n = 0;
	list->errors = 0;
	list->warnings = 0;
}

void phx_issues_free(phx_issues *list)
{
	if (!list)
		return;
	phx_issues_clear(list);
	free(list->items);
	free(list);
}

void phx_issues_add(phx_issues *list, phx_severity sev, const char *code,
		    const char *path, const char *fmt, ...)
{
	phx_buf msg = PHX_BUF_INIT;
	va_list ap;

	if (list->n == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 8;
		list->items = phx_xrealloc(list->items, list->cap * sizeof *list->items);
	}
	va_start(ap, fmt);
	phx_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	phx_finding *f = &list->items[list->n++];
	f->severity = sev;
	f->code = code;
	f->path = phx_xstrdup(path ? path : "");
	f->message = msg.data ? phx_buf_steal(&msg) : phx_xstrdup("");
	if (sev == PHX_SEV_ERROR)
		list->errors++;
	else
		list->warnings++;
}

size_t phx_issues_count(const phx_issues *list)
{
	return list->n;
}

size_t phx_issues_errors(const phx_issues *list)
{
	return list->errors;
}

size_t phx_issues_warnings(const phx_issues *list)
{
	return list->warnings;
}

const phx_finding *phx_issues_get(const phx_issues *list, size_t i)
{
	return i < list->n ? &list->items[i] : NULL;
}

int phx_issues_each(const phx_issues *list,
		    int (*fn)(const phx_finding *f, void *ctx), void *ctx)
{
	for (size_t i = 0; i < list->n; i++) {
		int r = fn(&list->items[i], ctx);

		if (r)
			return r;
	}
	return 0;
}

const char *phx_severity_name(phx_severity sev)
{
	return sev == PHX_SEV_ERROR ? "error" : "warning";
}

static int wanted(const phx_finding *f, int sev)
{
	return sev < 0 || (int)f->severity == sev;
}

json_t *phx_issues_to_json(const phx_issues *list, int sev)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < list->n; i++) {
		const phx_finding *f = &list->items[i];

		if (!wanted(f, sev))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}",
			"severity", phx_severity_name(f->severity), "code", f->code,
			"path", f->path, "message", f->message));
	}
	return arr;
}

void phx_issues_summary(const phx_issues *list, int sev, size_t max_items, phx_buf *out)
{
	size_t shown = 0, more = 0;

	for (size_t i = 0; i < list->n; i++) {
		const phx_finding *f = &list->items[i];

		if (!wanted(f, sev))
			continue;
		if (shown == max_items) {
			more++;
			continue;
		}
		phx_buf_printf(out, "%s%s: %s", shown ? "; " : "",
			       f->path[0] ? f->path : "/", f->message);
		shown++;
	}
	if (more)
		phx_buf_printf(out, "; and %zu more", more);
}
