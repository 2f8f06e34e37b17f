/* cost_ledger_file.c - keeping the cost ledger in the state directory:
 * $STATE/cost-ledger.ndjson, one header line and one line per bucket,
 * replaced atomically under $STATE/cost-ledger.lock so that two phx-cost
 * runs (cron, phx-health) never read the same journal bytes twice. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "buf.h"
#include "cost_ledger.h"
#include "jsonpool.h"
#include "log.h"
#include "sha256.h"
#include "state.h"
#include "timeutil.h"
#include "xalloc.h"

#define HEAD_BYTES 4096
#define LEDGER_VERSION 1

static const char *const outcomes[] = { "ok", "unchanged", "failed" };

static int word(char *dst, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= PHX_COST_WORD)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int number(long long *dst, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*dst = json_integer_value(v);
	return 0;
}

static int load_bucket(phx_cost_ledger *l, const json_t *o)
{
	phx_cost_usage k;
	char day[PHX_COST_WORD], outcome[PHX_COST_WORD], category[PHX_COST_WORD];
	long long lines, qty, bytes, usd, proxied;
	int y, m, d;
	memset(&k, 0, sizeof k);
	if (word(day, o, "day") || phx_date_parse(day, &y, &m, &d) || strlen(day) != 10 ||
	    word(k.tool, o, "tool") || word(k.service, o, "service") || word(k.what, o, "what") ||
	    word(k.source, o, "source") || word(k.zip, o, "zip") ||
	    word(outcome, o, "outcome") || word(category, o, "category") ||
	    number(&proxied, o, "proxied") || number(&lines, o, "lines") ||
	    number(&qty, o, "qty") || number(&bytes, o, "bytes") || number(&usd, o, "usd_micros"))
		return -1;
	memcpy(k.day, day, 11);
	k.proxied = proxied != 0;
	k.outcome = -1;
	for (int i = 0; i < 3; i++)
		if (strcmp(outcome, outcomes[i]) == 0)
			k.outcome = i;
	if (k.outcome < 0)
		return -1;
	phx_cost_ledger_add(l, &k);
	phx_cost_bucket *b = &l->b[l->n - 1];
	if (b->lines != 1)	/* the same key twice */
		return -1;
	b->lines = lines;
	b->qty = qty;
	b->bytes = bytes;
	b->usd_micros = usd;
	b->priced = json_is_true(json_object_get(o, "priced"));
	b->dirty = 0;
	memcpy(b->category, category, sizeof category);
	return 0;
}

static int load_header(phx_cost_ledger *l, const json_t *o)
{
	const json_t *phx = json_object_get(o, "phx"), *head = json_object_get(o, "head");
	long long off, lines, bad;
	if (!json_is_string(phx) || strcmp(json_string_value(phx), "cost-ledger") != 0 ||
	    json_integer_value(json_object_get(o, "version")) != LEDGER_VERSION ||
	    !json_is_string(head) || json_string_length(head) != 64 ||
	    number(&off, o, "offset") || number(&lines, o, "lines") ||
	    number(&bad, o, "bad_lines"))
		return -1;
	l->offset = (unsigned long long)off;
	l->lines = (unsigned long long)lines;
	l->bad_lines = (unsigned long long)bad;
	memcpy(l->head, json_string_value(head), 65);
	return 0;
}

int phx_cost_ledger_load(const char *path, phx_cost_ledger *l)
{
	size_t len;
	phx_cost_ledger_init(l);
	char *text = phx_read_file(path, &len);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		phx_err("%s: %s", path, strerror(errno));
		return -1;
	}
	size_t i = 0, line = 0;
	int rc = 0;
	while (i < len && rc == 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		json_t *o = json_loadb(text + i, n, 0, NULL);
		rc = !o ? -1 : line == 0 ? load_header(l, o) : load_bucket(l, o);
		json_decref(o);
		line++;
		i += n + 1;
	}
	if (rc == 0 && line == 0)
		rc = -1;
	free(text);
	if (rc != 0) {
		phx_err("%s:%zu: the cost ledger is damaged", path, line);
		phx_cost_ledger_free(l);
		phx_cost_ledger_init(l);
	}
	return rc;
}

int phx_cost_ledger_save(const char *path, const phx_cost_ledger *l)
{
	phx_buf b = PHX_BUF_INIT;
	char now[PHX_TIME_LEN];
	phx_time_now(now);
	json_t *h = json_pack("{s:s, s:i, s:I, s:s, s:I, s:I, s:s}", "phx", "cost-ledger",
			      "version", LEDGER_VERSION, "offset", (json_int_t)l->offset,
			      "head", l->head, "lines", (json_int_t)l->lines,
			      "bad_lines", (json_int_t)l->bad_lines, "updated", now);
	char *s = json_dumps(h, JSON_COMPACT);
	phx_buf_adds(&b, s);
	phx_buf_addc(&b, '\n');
	phx_json_free(s);
	json_decref(h);
	for (size_t i = 0; i < l->n; i++) {
		const phx_cost_bucket *k = &l->b[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:I, s:I, s:I, "
				      "s:I, s:s, s:b}", "day", k->k.day, "tool", k->k.tool,
				      "service", k->k.service, "what", k->k.what,
				      "source", k->k.source, "zip", k->k.zip,
				      "proxied", k->k.proxied, "outcome", outcomes[k->k.outcome],
				      "lines", (json_int_t)k->lines, "qty", (json_int_t)k->qty,
				      "bytes", (json_int_t)k->bytes,
				      "usd_micros", (json_int_t)k->usd_micros,
				      "category", k->category, "priced", k->priced);
		s = json_dumps(o, JSON_COMPACT);
		phx_buf_adds(&b, s);
		phx_buf_addc(&b, '\n');
		phx_json_free(s);
		json_decref(o);
	}
	int rc = phx_write_atomic(path, b.data, b.len, 0600);
	if (rc != 0)
		phx_err("%s: cannot write the cost ledger", path);
	phx_buf_free(&b);
	return rc;
}

/* sha256 of the first min(upto, 4096) bytes of fd (its position moves). */
static int head_hash(int fd, unsigned long long upto, char out[65])
{
	char buf[HEAD_BYTES];
	size_t want = upto < HEAD_BYTES ? (size_t)upto : HEAD_BYTES, have = 0;
	while (have < want) {
		ssize_t r = pread(fd, buf + have, want - have, (off_t)have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
	phx_sha256_hex(buf, have, out);
	return 0;
}

/* Read what the journal gained since l->offset. A journal shorter than the
 * offset, or whose first bytes changed, was replaced (rotated): it is read
 * from its start, and what the ledger holds stays counted. */
static int read_journal(phx_cost_ledger *l, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char head[65];
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		phx_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || (unsigned long long)st.st_size < l->offset ||
	    head_hash(fd, l->offset, head) != 0 || strcmp(head, l->head) != 0) {
		if (l->offset)
			phx_warn("%s: the journal was replaced or cut since the last run; "
				 "reading it from its start", path);
		l->offset = 0;
		l->lines = 0;
	}
	if (lseek(fd, (off_t)l->offset, SEEK_SET) < 0) {
		phx_err("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	long long used = phx_cost_ledger_read(l, fd, path, 0);
	if (used >= 0) {
		l->offset += (unsigned long long)used;
		if (head_hash(fd, l->offset, l->head) != 0)
			used = -1;
	}
	close(fd);
	return used < 0 ? -1 : 0;
}

int phx_cost_ledger_update(const phx_prices *p, time_t now, phx_cost_ledger *l)
{
	char lock[4096], ledger[4096], journal[4096], day[16];
	if (phx_state_path(lock, sizeof lock, "cost-ledger.lock") ||
	    phx_state_path(ledger, sizeof ledger, "cost-ledger.ndjson") ||
	    phx_state_path(journal, sizeof journal, "usage.ndjson"))
		return -1;
	int fd = phx_lock(lock);
	if (fd < 0)
		return -1;
	if (phx_cost_ledger_load(ledger, l) != 0)
		phx_warn("%s: rebuilding the cost ledger from %s", ledger, journal);
	int rc = read_journal(l, journal);
	time_t start, next;
	phx_phoenix_month(now, &start, &next);
	phx_phoenix_date(start, day);
	if (rc == 0) {
		phx_cost_ledger_price(l, p, day);
		rc = phx_cost_ledger_save(ledger, l);
	}
	phx_unlock(fd);
	return rc;
}
