/* cursor.c - resume cursors and the fetched-APN index. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cursor.h"
#include "buf.h"
#include "jsonpool.h"
#include "log.h"
#include "sha256.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAX_PAGES 1000000L

static void bits_alloc(phx_cursor *c, long pages)
{
	free(c->done);
	c->pages = pages;
	c->done = phx_xcalloc((size_t)pages / 8 + 1, 1);
	c->ndone = 0;
}

int phx_cursor_page_is_done(const phx_cursor *c, long page)
{
	if (page < 1 || page > c->pages || !c->done)
		return 0;
	return (c->done[(page - 1) / 8] >> ((page - 1) % 8)) & 1;
}

static void mark(phx_cursor *c, long page)
{
	if (page < 1 || page > c->pages || phx_cursor_page_is_done(c, page))
		return;
	c->done[(page - 1) / 8] |= (unsigned char)(1u << ((page - 1) % 8));
	c->ndone++;
}

char *phx_cursor_ranges(const phx_cursor *c)
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	for (long p = 1; p <= c->pages; p++) {
		if (!phx_cursor_page_is_done(c, p))
			continue;
		long q = p;
		while (q + 1 <= c->pages && phx_cursor_page_is_done(c, q + 1))
			q++;
		if (b.len)
			phx_buf_addc(&b, ',');
		if (q > p)
			phx_buf_printf(&b, "%ld-%ld", p, q);
		else
			phx_buf_printf(&b, "%ld", p);
		p = q;
	}
	return phx_buf_steal(&b);
}

int phx_cursor_parse_ranges(phx_cursor *c, const char *s)
{
	while (*s) {
		char *end;
		errno = 0;
		long a = strtol(s, &end, 10), b;
		if (end == s || errno)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || errno)
				return -1;
		}
		if (a < 1 || b < a || b > c->pages)
			return -1;
		for (long p = a; p <= b; p++)
			mark(c, p);
		if (*end == ',')
			end++;
		else if (*end)
			return -1;
		s = end;
	}
	return 0;
}

static void cursor_load(phx_cursor *c, long long ttl)
{
	char *text = phx_read_file(c->path, NULL);
	if (!text)
		return;
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	if (!j)
		return;
	json_t *key = json_object_get(j, "key");
	json_t *pages = json_object_get(j, "pages");
	json_t *updated = json_object_get(j, "updated");
	json_t *done = json_object_get(j, "done");
	time_t t = 0;
	if (!json_is_string(key) || strcmp(json_string_value(key), c->key) != 0 ||
	    !json_is_integer(pages) || json_integer_value(pages) < 0 ||
	    json_integer_value(pages) > MAX_PAGES || !json_is_string(updated) ||
	    phx_time_parse(json_string_value(updated), &t) != 0 || !json_is_string(done))
		goto out;
	if (ttl > 0 && (long long)(time(NULL) - t) > ttl)
		goto out;	/* stale: the data may have moved on */
	bits_alloc(c, (long)json_integer_value(pages));
	json_t *total = json_object_get(j, "total");
	c->total = json_is_integer(total) ? (long)json_integer_value(total) : -1;
	c->updated = t;
	if (phx_cursor_parse_ranges(c, json_string_value(done)) != 0) {
		phx_warn("%s: bad page list, starting the request over", c->path);
		phx_cursor_reset(c);
		goto out;
	}
	c->complete = json_is_true(json_object_get(j, "complete"));
out:
	json_decref(j);
}

int phx_cursor_open(phx_cursor *c, const char *key, long long ttl)
{
	memset(c, 0, sizeof *c);
	c->key = phx_xstrdup(key);
	c->total = -1;
	char hex[65], rel[128], path[PATH_MAX];
	phx_sha256_hex(key, strlen(key), hex);
	snprintf(rel, sizeof rel, "fetch/cursors/%.32s.json", hex);
	if (phx_state_path(path, sizeof path, rel) != 0)
		return -1;
	c->path = phx_xstrdup(path);
	size_t n = strlen(path) + 32;
	c->tmp = phx_xmalloc(n);
	snprintf(c->tmp, n, "%s.%ld.tmp", path, (long)getpid());
	cursor_load(c, ttl);
	return 0;
}

void phx_cursor_set_pages(phx_cursor *c, long total, long pages)
{
	if (pages < 0)
		pages = 0;
	if (pages > MAX_PAGES)
		pages = MAX_PAGES;
	if (c->done && c->pages == pages && c->total == total)
		return;
	bits_alloc(c, pages);
	c->total = total;
	c->complete = 0;
}

static char *cursor_text(phx_cursor *c)
{
	char now[PHX_TIME_LEN];
	phx_time_now(now);
	char *ranges = phx_cursor_ranges(c);
	json_t *j = json_pack("{s:s, s:I, s:I, s:s, s:b, s:s}", "key", c->key,
			      "total", (json_int_t)c->total, "pages", (json_int_t)c->pages,
			      "done", ranges, "complete", c->complete, "updated", now);
	free(ranges);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

int phx_cursor_save(phx_cursor *c)
{
	char *text = cursor_text(c);
	int rc = phx_write_atomic(c->path, text, strlen(text), 0600);
	if (rc != 0)
		phx_err("%s: %s", c->path, strerror(errno));
	phx_json_free(text);
	c->updated = time(NULL);
	return rc;
}

/* No fsync: the cursor has to survive kill -9 (the page cache does that),
 * and the rename must follow the output as closely as it can. */
int phx_cursor_stage(phx_cursor *c, long page)
{
	mark(c, page);
	char *text = cursor_text(c);
	int rc = -1;
	FILE *f = fopen(c->tmp, "w");
	if (f) {
		size_t n = strlen(text);
		rc = fwrite(text, 1, n, f) == n ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
	}
	if (rc != 0)
		phx_err("%s: %s", c->tmp, strerror(errno));
	phx_json_free(text);
	return rc;
}

int phx_cursor_commit(phx_cursor *c)
{
	if (rename(c->tmp, c->path) != 0) {
		phx_err("%s: %s", c->path, strerror(errno));
		return -1;
	}
	c->updated = time(NULL);
	return 0;
}

void phx_cursor_abort(phx_cursor *c, long page)
{
	unlink(c->tmp);
	if (phx_cursor_page_is_done(c, page)) {
		c->done[(page - 1) / 8] &= (unsigned char)~(1u << ((page - 1) % 8));
		c->ndone--;
	}
}

int phx_cursor_page_done(phx_cursor *c, long page)
{
	mark(c, page);
	return phx_cursor_save(c);
}

int phx_cursor_finish(phx_cursor *c)
{
	c->complete = 1;
	return phx_cursor_save(c);
}

void phx_cursor_reset(phx_cursor *c)
{
	free(c->done);
	c->done = NULL;
	c->pages = 0;
	c->ndone = 0;
	c->total = -1;
	c->complete = 0;
}

void phx_cursor_close(phx_cursor *c)
{
	free(c->key);
	free(c->path);
	free(c->tmp);
	free(c->done);
	memset(c, 0, sizeof *c);
}

/* ---- the fetched-APN index: open addressing, APN -> time ---- */

typedef struct slot {
	char apn[16];
	time_t when;
} slot;

struct phx_apn_index {
	char *path;
	slot *slots;
	size_t cap, n;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static slot *find_slot(const phx_apn_index *x, const char *apn)
{
	size_t i = hash_str(apn) & (x->cap - 1);
	while (x->slots[i].apn[0] && strcmp(x->slots[i].apn, apn) != 0)
		i = (i + 1) & (x->cap - 1);
	return &x->slots[i];
}

static void index_set(phx_apn_index *x, const char *apn, time_t when)
{
	if ((x->n + 1) * 2 > x->cap) {
		slot *old = x->slots;
		size_t oldcap = x->cap;
		x->cap = oldcap ? oldcap * 2 : 1024;
		x->slots = phx_xcalloc(x->cap, sizeof *x->slots);
		x->n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].apn[0])
				index_set(x, old[i].apn, old[i].when);
		free(old);
	}
	slot *s = find_slot(x, apn);
	if (!s->apn[0]) {
		snprintf(s->apn, sizeof s->apn, "%s", apn);
		x->n++;
	}
	s->when = when;
}

static void index_load(phx_apn_index *x, char *text)
{
	char *line = text;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char apn[16];
		long long when;
		if (sscanf(line, "%15s %lld", apn, &when) == 2 && when > 0)
			index_set(x, apn, (time_t)when);
		line = nl ? nl + 1 : NULL;
	}
}

phx_apn_index *phx_apn_index_open(const char *name)
{
	char rel[256], path[PATH_MAX];
	snprintf(rel, sizeof rel, "fetch/%s", name);
	if (phx_state_path(path, sizeof path, rel) != 0)
		return NULL;
	phx_apn_index *x = phx_xcalloc(1, sizeof *x);
	x->path = phx_xstrdup(path);
	x->cap = 1024;
	x->slots = phx_xcalloc(x->cap, sizeof *x->slots);
	char *text = phx_read_file(path, NULL);
	if (text) {
		index_load(x, text);
		free(text);
	} else if (errno != ENOENT) {
		phx_err("%s: %s", path, strerror(errno));
		phx_apn_index_close(x);
		return NULL;
	}
	return x;
}

time_t phx_apn_index_get(const phx_apn_index *x, const char *apn)
{
	slot *s = find_slot(x, apn);
	return s->apn[0] ? s->when : 0;
}

int phx_apn_index_put(phx_apn_index *x, const char *apn, time_t when)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%s %lld\n", apn, (long long)when);
	if (strlen(apn) >= 16 || n < 0 || (size_t)n >= sizeof line)
		return -1;
	index_set(x, apn, when);
	if (phx_append_line(x->path, line, (size_t)n, 0600) != 0) {
		phx_err("%s: %s", x->path, strerror(errno));
		return -1;
	}
	return 0;
}

void phx_apn_index_close(phx_apn_index *x)
{
	if (!x)
		return;
	free(x->path);
	free(x->slots);
	free(x);
}
