/* rules.h - cross-field rules a schema cannot say, loaded from an editable file.
 *
 * The file (etc/rules.conf; format documented at its top and in
 * phx-record(5)) holds one rule per line:
 *	rule NAME SEVERITY KIND key=value ...
 * e.g.	rule year_built_future error year_not_after path=/features/year_built years_ahead=1
 * plus "weight POINTER N" and "quality key=value" lines for the quality score.
 * A finding of rule NAME has code "rule.NAME". A rule whose inputs are null or
 * missing says nothing (unknown is not wrong; completeness is scored instead).
 *
 * The target area (ZIP list) is a parameter, not part of the file: the tool
 * passes TARGET_ZIP_CODES / the config value. With no list, the zip_in_target
 * kind is inactive. */
#ifndef PHX_RULES_H
#define PHX_RULES_H
#include <stddef.h>
#include <time.h>
#include <jansson.h>
#include "issues.h"
#include "quality.h"

typedef struct phx_rules phx_rules;

/* Load the rules file. On failure NULL and *err = malloc'd message, one line
 * per problem: "FILE:LINE: unknown rule kind \"foo\"". */
phx_rules *phx_rules_load(const char *path, char **err);
/* The same from text in memory; name is used in messages. */
phx_rules *phx_rules_parse(const char *text, const char *name, char **err);
void phx_rules_free(phx_rules *rules);

/* The target ZIP codes: 5-digit strings separated by commas and/or spaces
 * ("85031,85033 85035"). NULL or "" clears the list. Returns 0, or -1 with
 * *err = malloc'd message naming the bad entry (the list is left unchanged). */
int phx_rules_set_target_zips(phx_rules *rules, const char *list, char **err);
/* The clock the rules compare against (default: time(NULL) at each check).
 * Tests pin it; the tool may pin it once per run for consistent results. */
void phx_rules_set_now(phx_rules *rules, time_t now);

/* Check doc against every rule; append findings to out. Returns the number added. */
size_t phx_rules_check(const phx_rules *rules, const json_t *doc, phx_issues *out);

/* The rules in file order, for run summaries: code "rule.NAME", severity. */
size_t phx_rules_count(const phx_rules *rules);
const char *phx_rules_code(const phx_rules *rules, size_t i);
phx_severity phx_rules_severity(const phx_rules *rules, size_t i);

/* The quality settings of the file (weights, penalties); never NULL. */
const phx_quality_cfg *phx_rules_quality(const phx_rules *rules);

#endif
