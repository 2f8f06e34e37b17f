/* health_proxies.c - the proxies check: how many proxies of the shared pool
 * (proxypool.h, kept by phx-proxy check and by phx-fetch) are good, dead
 * and unchecked, against a minimum of good ones.
 *
 * The pool is read in setup(): it is a local file read without the lock (a
 * snapshot is enough to count), and loading it registers the proxies'
 * passwords with the redactor, which only the main thread may do. */
#include "health_checks.h"
#include "exitcode.h"
#include "proxypool.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const phx_health_metric_def phx_health_proxies_metrics[] = {
	{ "proxies.good", "", NULL, "1:", "proxies in state good (the minimum: -c)" },
	{ "proxies.dead", "", NULL, NULL, "proxies in state dead" },
	{ "proxies.unchecked", "", NULL, NULL, "proxies never or not lately checked" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct pool_counts {
	char *path;
	size_t good, dead, unchecked, retired;
	int failed;
};

int phx_health_proxies_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	struct pool_counts *pc;
	struct stat st;
	phx_pool pool;
	char *path;

	(void)ctx;
	c->r.next_step = "runbook 'Proxy Issues': phx-proxy check to re-probe the pool, "
			 "phx-proxy import --webshare to refresh it, rotate to backup proxies";
	path = phx_pool_default_path();
	if (!path) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "no state directory for the proxy pool");
		return 1;
	}
	if (stat(path, &st) != 0) {
		phx_health_skip(&c->r, "no proxy pool at %s (phx-proxy import makes one)", path);
		free(path);
		return 1;
	}
	pc = phx_xcalloc(1, sizeof *pc);
	pc->path = path;
	c->data = pc;
	if (phx_pool_open(&pool, path, 0) != 0) {
		pc->failed = 1;
		return 0;
	}
	for (size_t i = 0; i < pool.n; i++) {
		const phx_proxy *p = &pool.v[i];
		if (p->retired)
			pc->retired++;
		else if (p->state == PHX_PROXY_GOOD)
			pc->good++;
		else if (p->state == PHX_PROXY_DEAD)
			pc->dead++;
		else
			pc->unchecked++;
	}
	phx_pool_close(&pool);
	return 0;
}

void phx_health_proxies_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const struct pool_counts *pc = c->data;
	phx_range w, k;
	int st;

	if (pc->failed) {
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: the pool cannot be read", pc->path);
		return;
	}
	st = phx_health_value_add(c, ctx, "proxies.good", (double)pc->good);
	phx_health_value_add(c, ctx, "proxies.dead", (double)pc->dead);
	phx_health_value_add(c, ctx, "proxies.unchecked", (double)pc->unchecked);
	phx_health_ranges(ctx, &phx_health_proxies_metrics[0], &w, &k);
	phx_health_set(&c->r, PHX_MP_OK, "%zu good, %zu dead, %zu unchecked (%zu retired)%s%s",
		       pc->good, pc->dead, pc->unchecked, pc->retired,
		       st != PHX_MP_OK ? ": good outside " : "",
		       st == PHX_MP_CRITICAL ? k.text : st == PHX_MP_WARNING ? w.text : "");
}

void phx_health_proxies_cleanup(phx_health_check *c)
{
	struct pool_counts *pc = c->data;
	if (!pc)
		return;
	free(pc->path);
	free(pc);
	c->data = NULL;
}
