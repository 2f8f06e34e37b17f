/* rules_int.h - the loaded form of the rules file, shared by rules.c (parsing)
 * and rules_check.c (the kinds). Not a public interface. */
#ifndef PHX_RULES_INT_H
#define PHX_RULES_INT_H
#include <stdint.h>
#include "jptr.h"
#include "rules.h"

enum phx_rule_kind {
	PHX_RK_YEAR_NOT_AFTER, PHX_RK_TIME_NOT_AFTER, PHX_RK_RATIO_RANGE,
	PHX_RK_LATEST_RATIO, PHX_RK_IN_TARGET, PHX_RK_COMPARE, PHX_RK_PROPERTY_ID
};

enum phx_rule_op { PHX_OP_LT, PHX_OP_LE, PHX_OP_GT, PHX_OP_GE, PHX_OP_EQ, PHX_OP_NE };

typedef struct phx_rule {
	char *code;		/* "rule.NAME" */
	phx_severity sev;
	enum phx_rule_kind kind;
	phx_jptr a, b, c;	/* the kind's fields, in the order of its table */
	char *key, *field;	/* latest_ratio: member names inside series items */
	double min, max;
	int has_min, has_max;
	long long years_ahead;
	int64_t tolerance;	/* seconds */
	enum phx_rule_op op;
	phx_jptr when;		/* only when the string at when is one of when_vals */
	int has_when;
	char **when_vals;
	size_t nwhen;
} phx_rule;

struct phx_rules {
	phx_rule *rules;
	size_t n;
	phx_quality_cfg *quality;
	unsigned char *zips;	/* 100000 bits, or NULL: no target area */
	time_t now;		/* 0: time(NULL) at each check */
};

/* rules_check.c */
void phx_rule_check(const phx_rules *rules, const phx_rule *r, const json_t *doc,
		    time_t now, phx_issues *out);

#endif
