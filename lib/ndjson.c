/* ndjson.c - line reader with positions and limits, and the parse step that
 * turns a line into a JSON object or a reject code. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ndjson.h"
#include "jsonparse.h"
#include "log.h"
#include "signals.h"
#include "utf8.h"
#include "xalloc.h"

#define READ_CHUNK ((size_t)256 << 10)
#define TOO_LONG_KEEP 4096	/* bytes of an overlong line kept for its reject */

struct phx_reader {
	char *const *files;
	int nfiles, next_file;
	int fd;
	const char *name;
	int eof;
	char *buf;
	size_t cap, start, end;
	size_t max_line;
	unsigned long long line_no, offset;	/* offset of buf[start] in the file */
	int skipping;		/* discarding the rest of an overlong line */
	char keep[TOO_LONG_KEEP];
	int io_errors;
};

phx_reader *phx_reader_open(char *const *files, int nfiles, size_t max_line)
{
	phx_reader *r = phx_xcalloc(1, sizeof *r);
	r->files = files;
	r->nfiles = nfiles;
	r->fd = -1;
	r->max_line = max_line ? max_line : PHX_MAX_LINE_DEFAULT;
	r->cap = READ_CHUNK;
	r->buf = phx_xmalloc(r->cap);
	return r;
}

int phx_reader_io_errors(const phx_reader *r)
{
	return r->io_errors;
}

static void close_current(phx_reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
}

/* Open the next operand; 0 when there is none left. */
static int open_next(phx_reader *r)
{
	for (;;) {
		if (r->nfiles == 0) {
			if (r->next_file > 0)
				return 0;
			r->next_file = 1;
			r->fd = 0;
			r->name = "-";
		} else {
			if (r->next_file >= r->nfiles)
				return 0;
			r->name = r->files[r->next_file++];
			if (strcmp(r->name, "-") == 0) {
				r->fd = 0;
			} else {
				r->fd = open(r->name, O_RDONLY | O_CLOEXEC);
				if (r->fd < 0) {
					phx_err("%s: %s", r->name, strerror(errno));
					r->io_errors++;
					continue;
				}
			}
		}
		r->start = r->end = 0;
		r->eof = 0;
		r->line_no = 0;
		r->offset = 0;
		r->skipping = 0;
		return 1;
	}
}

/* Read more bytes into the buffer. -1: stop asked by a signal; -2: this
 * file failed (reported), go on with the next. */
static int fill(phx_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READ_CHUNK / 2) {
		size_t want = r->cap * 2;
		if (want > r->max_line + READ_CHUNK)
			want = r->max_line + READ_CHUNK;
		if (want > r->cap) {
			r->buf = phx_xrealloc(r->buf, want);
			r->cap = want;
		}
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n > 0) {
			r->end += (size_t)n;
			return 0;
		}
		if (n == 0) {
			r->eof = 1;
			return 0;
		}
		if (errno == EINTR) {
			if (phx_stop_requested())
				return -1;
			continue;
		}
		phx_err("%s: %s", r->name, strerror(errno));
		r->io_errors++;
		r->eof = 1;
		return -2;
	}
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Classify a complete line; 0 when it is blank and should be skipped. */
static int finish_line(phx_reader *r, char *data, size_t len, phx_line *out)
{
	unsigned long long line_offset = r->offset;
	r->line_no++;
	if (len > 0 && data[len - 1] == '\r')
		len--;
	if (r->line_no == 1 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (is_blank(data, len))
		return 0;
	memset(out, 0, sizeof *out);
	out->data = data;
	out->len = len;
	out->pos.file = r->name;
	out->pos.line = r->line_no;
	out->pos.offset = line_offset;
	const char *nul = memchr(data, '\0', len);
	size_t bad;
	if (nul) {
		out->status = PHX_LINE_NUL;
		out->bad_at = (size_t)(nul - data);
	} else if ((bad = phx_utf8_check(data, len)) != len) {
		out->status = PHX_LINE_BAD_UTF8;
		out->bad_at = bad;
	}
	return 1;
}

int phx_reader_next(phx_reader *r, phx_line *out)
{
	int rc;
	for (;;) {
		if (r->fd < 0 && !open_next(r))
			return 0;
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (r->skipping) {
			size_t upto = nl ? (size_t)(nl - r->buf) + 1 : r->end;
			r->offset += upto - r->start;
			r->start = upto;
			if (nl)
				r->skipping = 0;
			else if (r->eof) {
				close_current(r);
				continue;
			} else if ((rc = fill(r)) != 0) {
				close_current(r);
				if (rc == -1)
					return 0;
			}
			continue;
		}
		if (nl) {
			char *data = r->buf + r->start;
			size_t len = (size_t)(nl - data);
			if (len > r->max_line + 1 ||
			    (len == r->max_line + 1 && data[len - 1] != '\r'))
				goto too_long;
			r->start += len + 1;
			int keep = finish_line(r, data, len, out);
			r->offset += len + 1;
			if (keep)
				return 1;
			continue;
		}
		if (r->end - r->start > r->max_line + 1)
			goto too_long;
		if (r->eof) {
			if (r->start < r->end) {
				char *data = r->buf + r->start;
				size_t len = r->end - r->start;
				r->start = r->end;
				int keep = finish_line(r, data, len, out);
				r->offset += len;
				if (keep)
					return 1;
			}
			close_current(r);
			continue;
		}
		if ((rc = fill(r)) != 0) {
			close_current(r);
			if (rc == -1)
				return 0;
		}
		continue;
too_long:
		/* Keep a prefix for the reject, then discard up to the newline. */
		{
			size_t avail = r->end - r->start;
			size_t keep = avail < TOO_LONG_KEEP ? avail : TOO_LONG_KEEP;
			memcpy(r->keep, r->buf + r->start, keep);
			memset(out, 0, sizeof *out);
			out->len = keep;
		}
		r->line_no++;
		out->data = r->keep;
		out->status = PHX_LINE_TOO_LONG;
		out->pos.file = r->name;
		out->pos.line = r->line_no;
		out->pos.offset = r->offset;
		r->skipping = 1;
		return 1;
	}
}

void phx_reader_close(phx_reader *r)
{
	if (!r)
		return;
	close_current(r);
	free(r->buf);
	free(r);
}

const char *phx_line_status_code(phx_line_status st)
{
	switch (st) {
	case PHX_LINE_TOO_LONG: return "input.too_long";
	case PHX_LINE_BAD_UTF8: return "input.bad_utf8";
	case PHX_LINE_NUL: return "input.nul_byte";
	default: return "input.ok";
	}
}

json_t *phx_parse_object(const char *data, size_t len, const char **code,
			 char *reason, size_t n)
{
	return phx_parse_object_spans(data, len, code, reason, n, NULL, 0, NULL, NULL);
}

json_t *phx_parse_object_spans(const char *data, size_t len, const char **code,
			       char *reason, size_t n, const char *const *keys, size_t nkeys,
			       phx_json_span *spans, int *odd_keys)
{
	phx_json_error err;
	json_t *j = phx_json_parse_spans(data, len, &err, keys, nkeys, spans, odd_keys);

	if (!j) {
		switch (err.status) {
		case PHX_JSON_DUPLICATE: *code = "input.duplicate_key"; break;
		case PHX_JSON_TOO_DEEP: *code = "input.too_deep"; break;
		case PHX_JSON_RANGE: *code = "input.number_range"; break;
		case PHX_JSON_BAD_UTF8: *code = "input.bad_utf8"; break;
		default: *code = "input.not_json"; break;	/* NUL_KEY says so in its text */
		}
		snprintf(reason, n, "column %zu: %s", err.offset + 1, err.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		static const char *const names[] = { "an object", "an array", "a string",
						     "an integer", "a number", "true", "false",
						     "null" };
		*code = "input.not_object";
		snprintf(reason, n, "a record must be a JSON object, this line is %s",
			 names[json_typeof(j)]);
		json_decref(j);
		return NULL;
	}
	return j;
}
