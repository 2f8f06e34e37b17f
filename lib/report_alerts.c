/* report_alerts.c - the alerts report: the lines phx-cost and
 * `phx-health --alert` appended to alerts.ndjson since the last alerts mail.
 * How far the mails got is a byte offset in $STATE/report-alerts.cursor,
 * moved on only once the mail was sent or spooled, so an alert is mailed
 * once and never skipped. A journal shorter than the offset was rotated:
 * it is read from its start. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_int.h"
#include "cli.h"
#include "exitcode.h"
#include "log.h"
#include "redact.h"
#include "state.h"
#include "timeutil.h"

#define MAX_SHOWN 200

static long long cursor_read(void)
{
	char path[4096];
	size_t len;
	long long off = 0;

	if (phx_state_path(path, sizeof path, "report-alerts.cursor") != 0)
		return 0;
	char *text = phx_read_file(path, &len);
	if (text) {
		char *end;
		errno = 0;
		off = strtoll(text, &end, 10);
		if (errno || end == text || off < 0)
			off = 0;
	}
	free(text);
	return off;
}

static const char *worst_of(const char *a, const char *b)
{
	static const char *const order[] = { "OK", "UNKNOWN", "WARNING", "CRITICAL", NULL };
	int ia = 0, ib = 0;
	for (int i = 0; order[i]; i++) {
		if (a && strcmp(a, order[i]) == 0)
			ia = i;
		if (b && strcmp(b, order[i]) == 0)
			ib = i;
	}
	return order[ia > ib ? ia : ib];
}

json_t *phx_report_alerts_new(phx_report_ctx *c)
{
	char path[4096], now[PHX_TIME_LEN];
	long long off = cursor_read(), total = 0;
	const char *worst = "OK";
	json_t *list = json_array();

	phx_time_format(c->now, now);
	if (phx_state_path(path, sizeof path, "alerts.ndjson") == 0) {
		FILE *f = fopen(path, "re");
		if (!f && errno != ENOENT) {
			phx_err("cannot read %s: %s", path, strerror(errno));
			c->worst = phx_exit_worst(c->worst, PHX_EX_IOERR);
		}
		if (f && fseeko(f, 0, SEEK_END) == 0 && ftello(f) < off)
			off = 0;	/* rotated */
		if (f && fseeko(f, off, SEEK_SET) == 0) {
			char *line = NULL;
			size_t cap = 0;
			ssize_t n;
			while ((n = getline(&line, &cap, f)) > 0 && line[n - 1] == '\n') {
				off += n;
				json_t *o = json_loadb(line, (size_t)n, 0, NULL);
				if (json_is_object(o)) {
					total++;
					worst = worst_of(worst, phx_jstr(o, "state"));
					char *msg = phx_redact_dup(phx_jstr(o, "message") ?
								   phx_jstr(o, "message") : "");
					json_object_set_new(o, "message", json_string(msg));
					free(msg);
					if (json_array_size(list) < MAX_SHOWN)
						json_array_append(list, o);
				}
				json_decref(o);
			}
			free(line);
		}
		if (f)
			fclose(f);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:I}", "phx", "report",
			 "kind", "alerts", "version", PHX_VERSION, "date", c->date, "generated",
			 now, "alerts", list, "total", (json_int_t)total, "worst", worst,
			 "cursor", (json_int_t)off);
}

int phx_report_alerts_done(const json_t *model)
{
	char path[4096], text[32];
	int n = snprintf(text, sizeof text, "%lld\n", phx_jint(model, "cursor", 0));

	if (phx_state_path(path, sizeof path, "report-alerts.cursor") != 0 ||
	    phx_write_atomic(path, text, (size_t)n, 0600) != 0) {
		phx_err("cannot write the alerts cursor %s", path);
		return PHX_EX_IOERR;
	}
	return 0;
}
