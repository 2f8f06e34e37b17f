/* issues.h - the findings of checking one record: severity, code, path, message.
 *
 * The schema checker and the rule engine append to one list per record; the
 * tool reads it to decide (errors => reject, warnings => _phx.validation),
 * to build the reject reason and to count codes for the run summary.
 * A list is reused record after record (phx_issues_clear keeps its memory).
 *
 * Codes are stable dotted names: "schema.*" (see phx_schema_codes) and
 * "rule.<name>" (names from the rules file, see phx_rules_code). The code
 * string of a finding stays valid while the schema or rules that made it live. */
#ifndef PHX_ISSUES_H
#define PHX_ISSUES_H
#include <stddef.h>
#include <jansson.h>
#include "buf.h"

typedef enum phx_severity {
	PHX_SEV_ERROR = 0,
	PHX_SEV_WARNING = 1
} phx_severity;

typedef struct phx_finding {
	phx_severity severity;
	const char *code;	/* "schema.range", "rule.year_built_future" */
	const char *path;	/* JSON Pointer ("" = the whole record), "/features/year_built" */
	const char *message;	/* "2091 is above the maximum 2027" */
} phx_finding;

typedef struct phx_issues phx_issues;

phx_issues *phx_issues_new(void);
void phx_issues_free(phx_issues *list);
/* Forget every finding, keep the memory for the next record. */
void phx_issues_clear(phx_issues *list);

/* Append a finding. code must outlive the list entry (a static string or one
 * owned by a loaded schema/rules); path and the formatted message are copied. */
void phx_issues_add(phx_issues *list, phx_severity sev, const char *code,
		    const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

size_t phx_issues_count(const phx_issues *list);
size_t phx_issues_errors(const phx_issues *list);
size_t phx_issues_warnings(const phx_issues *list);
/* The i-th finding (0 <= i < count), in the order they were found; the
 * pointers inside stay valid until the next add, clear or free. */
const phx_finding *phx_issues_get(const phx_issues *list, size_t i);
/* Call fn for each finding in order; stops early and returns fn's value when
 * fn returns non-zero, else returns 0. */
int phx_issues_each(const phx_issues *list,
		    int (*fn)(const phx_finding *f, void *ctx), void *ctx);

/* "error" or "warning". */
const char *phx_severity_name(phx_severity sev);

/* The findings of one severity (or every finding when sev < 0) as a new JSON
 * array of {"severity","code","path","message"} objects, in order: what goes
 * into _phx.validation or a reject's "errors" member. */
json_t *phx_issues_to_json(const phx_issues *list, int sev);

/* A one-line human summary of the findings of one severity (all when sev < 0),
 * appended to out: "/features/year_built: 2091 is above the maximum 2027; ..."
 * At most max_items findings are written, then "; and N more". */
void phx_issues_summary(const phx_issues *list, int sev, size_t max_items, phx_buf *out);

#endif
