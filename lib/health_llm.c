/* health_llm.c - the llm check: the Ollama server answers GET /api/tags
 * within the timeout and lists the configured model.
 *
 * The previous system called Ollama healthy without asking it; a server
 * that runs without the model is as useless to phx-llm as one that is
 * down, so a missing model is CRITICAL with the command that fixes it. */
#include "health_checks.h"
#include "config.h"
#include "exitcode.h"
#include "health_net.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const phx_health_metric_def phx_health_llm_metrics[] = {
	{ "llm.latency", "ms", "~:2000", "~:5000", "time to answer /api/tags" },
	{ "llm.models", "", NULL, NULL, "models the server has" },
	{ NULL, NULL, NULL, NULL, NULL }
};

struct llm_cfg {
	phx_http *h;
	char *url;		/* BASE/api/tags */
	const char *model;	/* NULL: none configured */
};

int phx_health_llm_setup(phx_health_check *c, phx_health_ctx *ctx)
{
	static const char *const url_env[] = { "PHX_LLM_URL", "OLLAMA_URL", "OLLAMA_BASE_URL",
					       NULL };
	static const char *const model_env[] = { "PHX_LLM_MODEL", "LLM_MODEL", NULL };
	const char *base = phx_setting(NULL, url_env, "llm.url", NULL);
	struct llm_cfg *l;
	phx_buf u = PHX_BUF_INIT;
	size_t n;

	c->r.next_step = "runbook 'LLM Processing Failures': restart Ollama (ollama serve), "
			 "then 'ollama list' and 'ollama pull MODEL' for a missing model";
	if (!base || !*base) {
		phx_health_skip(&c->r, "no OLLAMA_URL, OLLAMA_BASE_URL or llm.url");
		return 1;
	}
	l = phx_xcalloc(1, sizeof *l);
	c->data = l;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	phx_buf_add(&u, base, n);
	phx_buf_adds(&u, "/api/tags");
	l->url = phx_buf_steal(&u);
	l->model = phx_setting(NULL, model_env, "llm.model", NULL);
	if (l->model && !*l->model)
		l->model = NULL;
	l->h = phx_health_http(c, ctx);
	return l->h ? 0 : 1;
}

/* "llama3.2" names "llama3.2:latest"; otherwise the names must be equal. */
static int same_model(const char *want, const char *have)
{
	size_t n = strlen(want);
	if (strcmp(want, have) == 0)
		return 1;
	return !strchr(want, ':') && strncmp(have, want, n) == 0 &&
	       strcmp(have + n, ":latest") == 0;
}

static void judge_tags(phx_health_check *c, phx_health_ctx *ctx, const struct llm_cfg *l,
		       const phx_health_get *g)
{
	json_error_t je;
	json_t *doc = json_loadb(g->body, g->body_len, 0, &je), *models = json_object_get(doc,
											 "models");
	size_t i, n = json_array_size(models);
	json_t *m;
	int found = 0;

	if (!json_is_array(models)) {
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: HTTP %ld but no models list: %s",
			       l->url, g->status, doc ? "no \"models\" array" : je.text);
		json_decref(doc);
		return;
	}
	json_array_foreach(models, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		if (!name)
			name = json_string_value(json_object_get(m, "model"));
		if (!name)
			continue;
		phx_health_detail(&c->r, "model: %s", name);
		if (l->model && same_model(l->model, name))
			found = 1;
	}
	phx_health_value_add(c, ctx, "llm.models", (double)n);
	if (!l->model)
		phx_health_set(&c->r, PHX_MP_OK, "%s: %zu models in %ld ms (no LLM_MODEL configured)",
			       l->url, n, g->ms);
	else if (found)
		phx_health_set(&c->r, PHX_MP_OK, "%s: model %s present, %ld ms", l->url, l->model,
			       g->ms);
	else
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: model %s not present (%zu others): "
			       "run 'ollama pull %s'", l->url, l->model, n, l->model);
	json_decref(doc);
}

void phx_health_llm_run(phx_health_check *c, phx_health_ctx *ctx)
{
	const struct llm_cfg *l = c->data;
	phx_health_get g;

	memset(&g, 0, sizeof g);
	g.url = l->url;
	phx_health_fetch(l->h, c, &g, 1);
	if (g.error)
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: %s", l->url, g.detail);
	else if (g.status != 200)
		phx_health_set(&c->r, PHX_MP_CRITICAL, "%s: HTTP %ld %s", l->url, g.status,
			       g.reason);
	else {
		phx_health_value_add(c, ctx, "llm.latency", (double)g.ms);
		judge_tags(c, ctx, l, &g);
	}
	phx_health_get_free(&g);
}

void phx_health_llm_cleanup(phx_health_check *c)
{
	struct llm_cfg *l = c->data;
	if (!l)
		return;
	phx_http_free(l->h);
	free(l->url);
	free(l);
	c->data = NULL;
}
