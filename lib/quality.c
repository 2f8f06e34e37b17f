/* quality.c - the quality score: completeness, consistency, validity.
 * The formula is stated in quality.h and phx-record(5); keep them in step. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "jptr.h"
#include "quality.h"
#include "xalloc.h"

struct phx_quality_cfg {
	double completeness, consistency, validity;	/* part weights */
	double warning_penalty, error_penalty;
	phx_jptr *fields;
	double *weights;
	size_t nfields;
};

phx_quality_cfg *phx_quality_cfg_new(void)
{
	phx_quality_cfg *cfg = phx_xcalloc(1, sizeof *cfg);

	cfg->completeness = 0.5;
	cfg->consistency = 0.25;
	cfg->validity = 0.25;
	cfg->warning_penalty = 0.25;
	cfg->error_penalty = 0.5;
	return cfg;
}

void phx_quality_cfg_free(phx_quality_cfg *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nfields; i++)
		phx_jptr_free(&cfg->fields[i]);
	free(cfg->fields);
	free(cfg->weights);
	free(cfg);
}

__attribute__((format(printf, 2, 3)))
static int cfg_error(char **err, const char *fmt, ...)
{
	phx_buf b = PHX_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	phx_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (err)
		*err = phx_buf_steal(&b);
	else
		phx_buf_free(&b);
	return -1;
}

int phx_quality_cfg_weight(phx_quality_cfg *cfg, const char *pointer, double weight,
			   char **err)
{
	phx_jptr p;

	if (!(weight > 0) || !isfinite(weight))
		return cfg_error(err, "weight of %s must be a number above 0", pointer);
	if (phx_jptr_compile(&p, pointer) < 0 || p.ntok == 0) {
		if (p.text)
			phx_jptr_free(&p);
		return cfg_error(err, "\"%s\" is not a JSON Pointer to a field", pointer);
	}
	cfg->fields = phx_xrealloc(cfg->fields, (cfg->nfields + 1) * sizeof *cfg->fields);
	cfg->weights = phx_xrealloc(cfg->weights, (cfg->nfields + 1) * sizeof *cfg->weights);
	cfg->fields[cfg->nfields] = p;
	cfg->weights[cfg->nfields++] = weight;
	return 0;
}

int phx_quality_cfg_set(phx_quality_cfg *cfg, const char *key, double value, char **err)
{
	double *slot = NULL, max = 1;

	if (strcmp(key, "completeness") == 0)
		slot = &cfg->completeness, max = 1000;
	else if (strcmp(key, "consistency") == 0)
		slot = &cfg->consistency, max = 1000;
	else if (strcmp(key, "validity") == 0)
		slot = &cfg->validity, max = 1000;
	else if (strcmp(key, "warning_penalty") == 0)
		slot = &cfg->warning_penalty;
	else if (strcmp(key, "error_penalty") == 0)
		slot = &cfg->error_penalty;
	if (!slot)
		return cfg_error(err, "unknown quality setting \"%s\" (completeness, consistency,"
				 " validity, warning_penalty, error_penalty)", key);
	if (!(value >= 0 && value <= max))
		return cfg_error(err, "quality setting %s must be between 0 and %g", key, max);
	double was = *slot;

	*slot = value;
	if (cfg->completeness + cfg->consistency + cfg->validity <= 0) {
		*slot = was;
		return cfg_error(err, "quality: completeness, consistency and validity"
				 " cannot all be 0");
	}
	return 0;
}

/* Unknown is null; an empty string or array says nothing either. */
static int known(const json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return 1;
}

static double completeness(const json_t *doc, const phx_quality_cfg *cfg)
{
	double have = 0, total = 0;

	for (size_t i = 0; i < cfg->nfields; i++) {
		total += cfg->weights[i];
		if (known(phx_jptr_get(&cfg->fields[i], doc)))
			have += cfg->weights[i];
	}
	return total > 0 ? have / total : 1;
}

double phx_quality_score(const json_t *doc, const phx_issues *findings,
			 const phx_quality_cfg *cfg)
{
	size_t errors = findings ? phx_issues_errors(findings) : 0;
	size_t warnings = findings ? phx_issues_warnings(findings) : 0;
	double comp = doc ? completeness(doc, cfg) : 0;
	double cons = fmax(0, 1 - cfg->warning_penalty * (double)warnings);
	double valid = fmax(0, 1 - cfg->error_penalty * (double)errors);
	double parts = cfg->completeness + cfg->consistency + cfg->validity;
	double score = (cfg->completeness * comp + cfg->consistency * cons +
			cfg->validity * valid) / parts;

	return floor(score * 1000 + 0.5) / 1000;
}
