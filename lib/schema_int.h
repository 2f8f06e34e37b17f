/* schema_int.h - the compiled form of a schema, shared by schema_load.c and
 * schema_check.c only (not a public interface). */
#ifndef PHX_SCHEMA_INT_H
#define PHX_SCHEMA_INT_H
#include <regex.h>
#include <stddef.h>
#include <jansson.h>
#include "fastre.h"

/* JSON types as bits of a mask; "number" accepts integers too. */
enum {
	PHX_T_NULL = 1, PHX_T_BOOLEAN = 2, PHX_T_OBJECT = 4, PHX_T_ARRAY = 8,
	PHX_T_NUMBER = 16, PHX_T_STRING = 32, PHX_T_INTEGER = 64
};

/* Which keywords a node carries, so a check tests bits, never names. */
enum {
	PHX_K_TYPE = 1u << 0, PHX_K_ENUM = 1u << 1, PHX_K_CONST = 1u << 2,
	PHX_K_MIN = 1u << 3, PHX_K_MAX = 1u << 4, PHX_K_XMIN = 1u << 5,
	PHX_K_XMAX = 1u << 6, PHX_K_MINLEN = 1u << 7, PHX_K_MAXLEN = 1u << 8,
	PHX_K_PATTERN = 1u << 9, PHX_K_FORMAT = 1u << 10, PHX_K_MINITEMS = 1u << 11,
	PHX_K_MAXITEMS = 1u << 12, PHX_K_ITEMS = 1u << 13, PHX_K_PROPS = 1u << 14,
	PHX_K_ADDITIONAL = 1u << 15, PHX_K_REQUIRED = 1u << 16, PHX_K_REF = 1u << 17
};

enum { PHX_FMT_DATE = 1, PHX_FMT_DATETIME = 2 };

/* A number as written: integers stay exact. */
typedef struct phx_num {
	int is_int;
	json_int_t i;
	double d;
} phx_num;

typedef struct phx_snode phx_snode;

typedef struct phx_sprop {
	char *name;
	size_t len;
	phx_snode *schema;
} phx_sprop;

struct phx_snode {
	int boolean;		/* -1: an object schema; 0: false; 1: true */
	unsigned keys;		/* PHX_K_* */
	unsigned types;		/* PHX_T_* when PHX_K_TYPE */
	char *type_text;	/* "string or null", for messages */
	json_t *enum_vals;	/* array */
	json_t *const_val;
	phx_num min, max, xmin, xmax;
	size_t minlen, maxlen, minitems, maxitems;
	regex_t re;
	phx_fastre *fast;	/* the same pattern without regexec, when simple */
	char *pattern;
	int format;
	phx_snode *items;
	phx_sprop *props;
	size_t nprops;
	size_t *slots;		/* open-addressing table of prop index + 1; 0 = empty */
	size_t nslots;		/* a power of two */
	phx_snode *additional;	/* NULL: any member allowed */
	char **required;
	size_t *required_len;
	size_t nrequired;
	char *ref_text;		/* "#/$defs/x", resolved into ref */
	phx_snode *ref;
	char *where;		/* the node's JSON Pointer in the schema file */
};

struct phx_schema {
	phx_snode *root;
	phx_snode **nodes;	/* every node, for freeing */
	size_t nnodes, capnodes;
	char **def_names;	/* root $defs, resolved by name */
	phx_snode **defs;
	size_t ndefs;
};

/* Property lookup through the node's hash table: index or -1. */
long phx_snode_find_prop(const phx_snode *n, const char *name, size_t len);
size_t phx_schema_hash(const char *s, size_t n);

/* schema_format.c: format checks (0 = valid) and the ERE screening. */
int phx_format_date(const char *s, size_t n);
int phx_format_datetime(const char *s, size_t n);
/* NULL when the ECMA-262 pattern means the same in POSIX ERE, else a static
 * message saying which construct is not supported. */
const char *phx_pattern_unsupported(const char *pattern);

/* schema_num.c: exact comparison of two numbers: <0, 0, >0. */
int phx_num_cmp(const phx_num *a, const phx_num *b);
void phx_num_from_json(phx_num *out, const json_t *v);
/* Write n as it was given ("2027", "0.5") into buf of size len. */
void phx_num_format(const phx_num *n, char *buf, size_t len);

#endif
