/* health_host.c - the host check: load per CPU (as a percentage, against
 * the runbook's CPU 70/85 %), memory in use from /proc/meminfo (75/90 %),
 * and disk use of the state directory and of the SQLite database's
 * directory (80/95 %), the way df counts it. */
#include "health_checks.h"
#include "config.h"
#include "exitcode.h"
#include "state.h"
#include "store_uri.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

const phx_health_metric_def phx_health_host_metrics[] = {
	{ "host.load", "%", "~:70", "~:85", "1-minute load average per CPU, in %" },
	{ "host.memory", "%", "~:75", "~:90", "memory in use (MemTotal - MemAvailable)" },
	{ "host.disk_state", "%", "~:80", "~:95", "disk use of the state directory" },
	{ "host.disk_db", "%", "~:80", "~:95", "disk use of the SQLite database's directory" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct host_cfg {
	char state[PATH_MAX];
	char db[PATH_MAX];	/* "" when the store is not a local file */
	char meminfo[PATH_MAX];
};

static int meminfo_field(const char *text, size_t len, const char *name, long long *out)
{
	size_t nl = strlen(name);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (n > nl && memcmp(p, name, nl) == 0 && p[nl] == ':') {
			long long v = 0;
			size_t i = nl + 1;
			int digits = 0;
			while (i < n && p[i] == ' ')
				i++;
			for (; i < n && p[i] >= '0' && p[i] <= '9' && digits < 18; i++, digits++)
				v = v * 10 + (p[i] - '0');
			if (digits == 0 || (i < n && p[i] >= '0' && p[i] <= '9'))
				return -1;
			*out = v;
			return 0;
		}
		p += n + 1;
	}
	return -1;
}

int phx_health_meminfo_parse(const char *text, size_t len, long long *total_kb,
			     long long *avail_kb)
{
	if (meminfo_field(text, len, "MemTotal", total_kb) != 0 ||
	    meminfo_field(text, len, "MemAvailable", avail_kb) != 0 || *total_kb <= 0 ||
	    *avail_kb > *total_kb)
		return -1;
	return 0;
}

int phx_health_host_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	struct host_cfg *h = phx_xcalloc(1, sizeof *h);
	static const char *const mem_env[] = { "PHX_HEALTH_MEMINFO", NULL };
	int err = 0;
	char *uri = phx_store_uri_resolve(NULL, NULL, &err);

	c->data = h;
	c->r.next_step = "free disk space in the state or database directory (rotate logs, "
			 "phx-store prune), stop runaway processes; runbook 'Weekly Maintenance'";
	snprintf(h->state, sizeof h->state, "%s", ctx->state_dir ? ctx->state_dir : "");
	snprintf(h->meminfo, sizeof h->meminfo, "%s",
		 phx_setting(NULL, mem_env, NULL, "/proc/meminfo"));
	if (uri && strncmp(uri, "mongodb", 7) != 0) {
		const char *p = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 :
				strncmp(uri, "file:", 5) == 0 ? uri + 5 : uri;
		const char *slash = strrchr(p, '/');
		if (!slash)
			snprintf(h->db, sizeof h->db, ".");
		else
			snprintf(h->db, sizeof h->db, "%.*s", (int)(slash - p + (slash == p)), p);
	}
	free(uri);
	return 0;
}

static void disk(phx_health_check *c, phx_health_ctx *ctx, const char *label,
		 const char *dir, phx_buf *msg)
{
	struct statvfs v;
	unsigned long long used, avail;
	double pct;

	if (!*dir)
		return;
	if (statvfs(dir, &v) != 0) {
		phx_health_detail(&c->r, "%s: %s", dir, strerror(errno));
		if (strcmp(label, "host.disk_state") == 0)
			c->r.state = phx_mp_worst(c->r.state, PHX_MP_UNKNOWN);
		return;
	}
	used = (unsigned long long)(v.f_blocks - v.f_bfree);
	avail = (unsigned long long)v.f_bavail;
	pct = used + avail ? 100.0 * (double)used / (double)(used + avail) : 0;
	phx_health_value_add_mm(c, ctx, label, pct, 0, 1, 100);
	phx_buf_printf(msg, ", disk %s %.0f %%", dir, pct);
}

void phx_health_host_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const struct host_cfg *h = c->data;
	phx_buf msg = PHX_BUF_INIT;
	double load[1];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long long total, avail;
	size_t len;
	char *mem;

	if (cpus < 1)
		cpus = 1;
	if (getloadavg(load, 1) == 1) {
		double pct = 100.0 * load[0] / (double)cpus;
		phx_health_value_add(c, ctx, "host.load", pct);
		phx_buf_printf(&msg, "load %.2f on %ld CPUs (%.0f %%)", load[0], cpus, pct);
	} else {
		phx_buf_adds(&msg, "load unknown");
	}
	mem = phx_read_file(h->meminfo, &len);
	if (mem && phx_health_meminfo_parse(mem, len, &total, &avail) == 0) {
		double pct = 100.0 * (double)(total - avail) / (double)total;
		phx_health_value_add_mm(c, ctx, "host.memory", pct, 0, 1, 100);
		phx_buf_printf(&msg, ", memory %.0f %% of %lld MiB", pct, total / 1024);
	} else {
		phx_buf_printf(&msg, ", memory unknown (%s unreadable)", h->meminfo);
		c->r.state = phx_mp_worst(c->r.state, PHX_MP_UNKNOWN);
	}
	free(mem);
	disk(c, ctx, "host.disk_state", h->state, &msg);
	disk(c, ctx, "host.disk_db", h->db, &msg);
	phx_health_set(&c->r, PHX_MP_OK, "%s", msg.data);
	phx_buf_free(&msg);
}

void phx_health_host_cleanup(phx_health_check *c)
{
	free(c->data);
	c->data = NULL;
}
