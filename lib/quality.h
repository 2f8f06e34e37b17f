/* quality.h - a record's quality score in [0,1].
 *
 *	score = (wc * completeness + wk * consistency + wv * validity) / (wc + wk + wv)
 *	completeness = sum of weights of the weighted fields present and not null
 *	               / sum of all weights (1 when no field is weighted)
 *	consistency  = max(0, 1 - warning_penalty * number of warnings)
 *	validity     = max(0, 1 - error_penalty * number of errors)
 * rounded to 3 decimals. Defaults: wc 0.5, wk 0.25, wv 0.25, warning_penalty
 * 0.25, error_penalty 0.5; the weighted fields come from the rules file
 * ("weight /features/bedrooms 2"). */
#ifndef PHX_QUALITY_H
#define PHX_QUALITY_H
#include <jansson.h>
#include "issues.h"

typedef struct phx_quality_cfg phx_quality_cfg;

/* A configuration with the defaults and no weighted field. */
phx_quality_cfg *phx_quality_cfg_new(void);
void phx_quality_cfg_free(phx_quality_cfg *cfg);
/* Weight a field by JSON Pointer (weight > 0). 0, or -1 with *err malloc'd. */
int phx_quality_cfg_weight(phx_quality_cfg *cfg, const char *pointer, double weight,
			   char **err);
/* Set completeness | consistency | validity (the three part weights, >= 0,
 * not all 0) or warning_penalty | error_penalty (0..1). 0, or -1 with *err. */
int phx_quality_cfg_set(phx_quality_cfg *cfg, const char *key, double value, char **err);

/* The score of doc given its findings (either may be NULL: no findings). */
double phx_quality_score(const json_t *doc, const phx_issues *findings,
			 const phx_quality_cfg *cfg);

#endif
