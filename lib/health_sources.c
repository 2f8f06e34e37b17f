/* health_sources.c - the sources check: the assessor API accepts the
 * configured token (one parcel request, the cheapest it has), and the MLS
 * site's robots.txt is reachable. Both requests go out at once.
 *
 * A refused token is CRITICAL and names the fix: every collection run
 * would fail on it, and the county words it as an HTTP 500. */
#include "health_checks.h"
#include "config.h"
#include "exitcode.h"
#include "health_net.h"
#include "maricopa.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MLS_BASE_DEFAULT "https://www.phoenixmlssearch.com"
#define APN_DEFAULT "10306005"	/* any parcel: an unknown one still proves the token */

const phx_health_metric_def phx_health_sources_metrics[] = {
	{ "sources.assessor_time", "ms", "~:2000", "~:5000", "assessor parcel request" },
	{ "sources.mls_time", "ms", "~:2000", "~:5000", "MLS robots.txt request" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct sources_cfg {
	phx_http *h;
	char *assessor_url;	/* NULL: no token configured */
	char *mls_url;
	struct curl_slist *auth;
	char *token;
};

int phx_health_sources_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	static const char *const base_env[] = { "MARICOPA_BASE_URL", NULL };
	static const char *const apn_env[] = { "PHX_HEALTH_APN", NULL };
	static const char *const mls_env[] = { "PHOENIX_MLS_BASE_URL", NULL };
	struct sources_cfg *s = phx_xcalloc(1, sizeof *s);
	const char *mls = phx_setting(NULL, mls_env, "mls.base_url", MLS_BASE_DEFAULT);
	phx_buf b = PHX_BUF_INIT;
	int err = 0;
	size_t n;

	c->data = s;
	c->r.next_step = "runbook 'API Changes' and 'High Error Rate': a refused token needs a "
			 "new MARICOPA_API_KEY (or MARICOPA_API_KEY_FILE); an unreachable site: "
			 "check the network, curl -I the site, look for changes of the site";
	s->token = phx_secret("MARICOPA_API_KEY", &err);
	if (err) {
		phx_health_set(&c->r, PHX_MP_UNKNOWN, "MARICOPA_API_KEY_FILE cannot be read");
		return 1;
	}
	if (s->token) {
		const char *base = phx_setting(NULL, base_env, "maricopa.base_url",
					       PHX_MARICOPA_BASE);
		const char *apn = phx_setting(NULL, apn_env, "health.apn", APN_DEFAULT);
		s->assessor_url = phx_maricopa_parcel_url(base, apn);
		phx_buf_printf(&b, "AUTHORIZATION: %s", s->token);
		s->auth = curl_slist_append(NULL, b.data);
		memset(b.data, 0, b.len);
		phx_buf_free(&b);
	}
	n = strlen(mls);
	while (n > 0 && mls[n - 1] == '/')
		n--;
	if (n > 0) {
		phx_buf_add(&b, mls, n);
		phx_buf_adds(&b, "/robots.txt");
		s->mls_url = phx_buf_steal(&b);
	}
	if (!s->assessor_url && !s->mls_url) {
		phx_health_skip(&c->r, "no MARICOPA_API_KEY and no PHOENIX_MLS_BASE_URL");
		return 1;
	}
	s->h = phx_health_http(c, ctx);
	return s->h ? 0 : 1;
}

static int judge_assessor(phx_health_check *c, phx_health_ctx *ctx, phx_health_get *g,
			  phx_buf *msg)
{
	phx_http_result r;
	json_t *doc = NULL;
	char why[256];
	const char *code;

	if (g->error) {
		phx_buf_printf(msg, "assessor %s", g->detail);
		return PHX_MP_CRITICAL;
	}
	phx_health_value_add(c, ctx, "sources.assessor_time", (double)g->ms);
	phx_health_as_result(g, &r);
	code = phx_maricopa_check(&r, 1, &doc, why, sizeof why);
	json_decref(doc);
	if (code && strcmp(code, "fetch.auth") == 0) {
		phx_buf_printf(msg, "assessor refused the token (%s): set a valid "
			       "MARICOPA_API_KEY or MARICOPA_API_KEY_FILE", why);
		return PHX_MP_CRITICAL;
	}
	if (code && strcmp(code, "fetch.not_found") != 0) {
		phx_buf_printf(msg, "assessor %s: %s", code, why);
		return g->status >= 500 || g->status == 0 ? PHX_MP_CRITICAL : PHX_MP_WARNING;
	}
	phx_buf_printf(msg, "assessor token accepted (%ld ms)", g->ms);
	return PHX_MP_OK;
}

static int judge_mls(phx_health_check *c, phx_health_ctx *ctx, phx_health_get *g,
		     phx_buf *msg)
{
	if (g->error) {
		phx_buf_printf(msg, "MLS robots.txt %s", g->detail);
		return PHX_MP_CRITICAL;
	}
	phx_health_value_add(c, ctx, "sources.mls_time", (double)g->ms);
	if (g->status >= 200 && g->status < 400) {
		phx_buf_printf(msg, "MLS robots.txt HTTP %ld (%ld ms)", g->status, g->ms);
		return PHX_MP_OK;
	}
	phx_buf_printf(msg, "MLS robots.txt HTTP %ld %s", g->status, g->reason);
	return g->status >= 500 ? PHX_MP_CRITICAL : PHX_MP_WARNING;
}

void phx_health_sources_run(phx_health_check *c, phx_health_ctx *ctx)
{
	struct sources_cfg *s = c->data;
	phx_health_get g[2];
	phx_buf msg = PHX_BUF_INIT;
	size_t n = 0, ia = 2, im = 2;
	int st = PHX_MP_OK;

	memset(g, 0, sizeof g);
	if (s->assessor_url) {
		ia = n;
		g[n].url = s->assessor_url;
		g[n++].headers = s->auth;
	}
	if (s->mls_url) {
		im = n;
		g[n++].url = s->mls_url;
	}
	phx_health_fetch(s->h, c, g, n);
	if (ia < 2)
		st = phx_mp_worst(st, judge_assessor(c, ctx, &g[ia], &msg));
	else
		phx_buf_adds(&msg, "assessor not configured (no MARICOPA_API_KEY)");
	phx_buf_adds(&msg, "; ");
	if (im < 2)
		st = phx_mp_worst(st, judge_mls(c, ctx, &g[im], &msg));
	else
		phx_buf_adds(&msg, "MLS not configured");
	phx_health_set(&c->r, st, "%s", msg.data);
	phx_buf_free(&msg);
	for (size_t i = 0; i < n; i++)
		phx_health_get_free(&g[i]);
}

void phx_health_sources_cleanup(phx_health_check *c)
{
	struct sources_cfg *s = c->data;
	if (!s)
		return;
	phx_http_free(s->h);
	free(s->assessor_url);
	free(s->mls_url);
	if (s->auth)
		curl_slist_free_all(s->auth);
	phx_secret_free(s->token);
	free(s);
	c->data = NULL;
}
