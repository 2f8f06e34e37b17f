/* reject.c - reject lines, to --rejects or to the day's dead-letter file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reject.h"
#include "buf.h"
#include "jsonwrite.h"
#include "log.h"
#include "redact.h"
#include "run.h"
#include "state.h"
#include "timeutil.h"

#define RAW_STRING_KEEP 4096	/* a non-JSON line is kept up to this many bytes */

static const char *dest_path;	/* NULL: dead-letter file */
static int fd = -1;
static int write_failed;
static unsigned long long count;

void phx_rejects_set_path(const char *path)
{
	dest_path = path;
}

static int open_dest(void)
{
	if (fd >= 0)
		return 0;
	if (dest_path && strcmp(dest_path, "-") == 0) {
		fd = 2;
		return 0;
	}
	char path[4096];
	const char *p = dest_path;
	if (!p) {
		char day[PHX_TIME_LEN], rel[256];
		phx_time_now(day);
		day[10] = '\0';
		snprintf(rel, sizeof rel, "rejects/%s-%s.ndjson", phx_log_tool(), day);
		if (phx_state_path(path, sizeof path, rel) != 0)
			return -1;
		p = path;
	}
	fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		phx_err("%s: cannot open rejects file: %s", p, strerror(errno));
		return -1;
	}
	return 0;
}

static void add_member(phx_buf *b, const char *key, const json_t *v)
{
	phx_buf_addc(b, ',');
	phx_buf_add_json_string(b, key, strlen(key));
	phx_buf_addc(b, ':');
	phx_json_write(b, v);
}

static void add_record(phx_buf *b, const char *raw, size_t rawlen, int raw_is_json,
		       const json_t *record)
{
	phx_buf_adds(b, ",\"record\":");
	if (raw && raw_is_json) {
		phx_buf_add(b, raw, rawlen);
	} else if (raw) {
		size_t keep = rawlen > RAW_STRING_KEEP ? RAW_STRING_KEEP : rawlen;
		phx_buf_add_json_string(b, raw, keep);
		if (keep < rawlen)
			phx_buf_adds(b, ",\"record_truncated\":true");
	} else if (record) {
		phx_json_write(b, record);
	} else {
		phx_buf_adds(b, "null");
	}
}

int phx_reject(const phx_pos *pos, const char *code, const char *reason,
	       const char *raw, size_t rawlen, int raw_is_json,
	       const json_t *record, int tries, const json_t *extra)
{
	phx_buf b = PHX_BUF_INIT, line = PHX_BUF_INIT;
	char at[PHX_TIME_LEN];
	phx_time_now(at);
	phx_buf_adds(&b, "{\"phx\":\"reject\",\"tool\":");
	phx_buf_add_json_string(&b, phx_log_tool(), strlen(phx_log_tool()));
	phx_buf_adds(&b, ",\"code\":");
	phx_buf_add_json_string(&b, code, strlen(code));
	phx_buf_adds(&b, ",\"reason\":");
	phx_buf_add_json_string(&b, reason ? reason : "", reason ? strlen(reason) : 0);
	if (pos) {
		phx_buf_adds(&b, ",\"input\":{\"file\":");
		phx_buf_add_json_string(&b, pos->file, strlen(pos->file));
		phx_buf_printf(&b, ",\"line\":%llu,\"offset\":%llu}", pos->line, pos->offset);
	}
	phx_buf_printf(&b, ",\"at\":\"%s\"", at);
	if (tries > 0)
		phx_buf_printf(&b, ",\"tries\":%d", tries);
	if (extra) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)extra, k, v)
			add_member(&b, k, v);
	}
	add_record(&b, raw, rawlen, raw_is_json, record);
	phx_buf_adds(&b, "}\n");
	phx_redact_append(&line, b.data, b.len);
	phx_buf_free(&b);

	count++;
	phx_run_current()->rejected++;
	phx_run_count_code(code);
	int rc = -1;
	if (open_dest() == 0) {
		size_t off = 0;
		rc = 0;
		while (off < line.len) {
			ssize_t w = write(fd, line.data + off, line.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				phx_err("rejects: %s", strerror(errno));
				rc = -1;
				break;
			}
			off += (size_t)w;
		}
	}
	if (rc != 0)
		write_failed = 1;
	phx_buf_free(&line);
	return rc;
}

int phx_reject_line(const phx_line *line, const char *code, const char *reason)
{
	return phx_reject(&line->pos, code, reason, line->data, line->len, 0, NULL, 0, NULL);
}

unsigned long long phx_rejects_count(void)
{
	return count;
}

int phx_rejects_failed(void)
{
	return write_failed;
}

void phx_rejects_close(void)
{
	if (fd > 2)
		close(fd);
	fd = -1;
}
