/* health_output.h - the three ways phx-health speaks: Monitoring Plugins
 * text, NDJSON, and a Prometheus textfile. Every string is redacted. */
#ifndef PHX_HEALTH_OUTPUT_H
#define PHX_HEALTH_OUTPUT_H
#include "buf.h"
#include "health.h"

typedef struct phx_health_report {
	phx_health_check *checks;
	size_t n;
	const phx_health_ctx *ctx;
	int state;		/* the exit status */
	int details;		/* -v or --emergency: detail lines */
	int emergency;		/* next steps of failing checks */
	int64_t ms;		/* the whole run */
} phx_health_report;

/* Whether a result decides the exit status: a skipped check does only
 * when it was asked for by name. */
int phx_health_counts(const phx_health_check *c, int named);
/* 'label'=value[UOM];warn;crit;min;max for each value of c, space separated. */
void phx_health_perfdata(const phx_health_check *c, const phx_health_ctx *ctx, phx_buf *out);
/* One status line with all perfdata, then one line per check. */
void phx_health_text(const phx_health_report *rp, phx_buf *out);
/* One NDJSON line per check, then the summary line. */
void phx_health_json(const phx_health_report *rp, phx_buf *out);
/* The textfile collector format. */
void phx_health_prometheus(const phx_health_report *rp, time_t now, phx_buf *out);
/* Write it to DIR/phx_health.prom atomically (temp file, rename), mode
 * 0644. 0, or -1 with errno. */
int phx_health_prometheus_write(const char *dir, const phx_buf *text);

#endif
