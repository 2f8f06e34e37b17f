/* address.c - address cleaning, unit splitting and the address_key. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "address.h"
#include "buf.h"
#include "xalloc.h"

#define MAX_TOKENS 32

typedef struct tokens {
	char *copy;			/* the cleaned line, split in place */
	char *t[MAX_TOKENS];
	int n;
} tokens;

static const char *const directionals[][2] = {
	{"NORTH", "N"}, {"SOUTH", "S"}, {"EAST", "E"}, {"WEST", "W"},
	{"NORTHEAST", "NE"}, {"NORTHWEST", "NW"}, {"SOUTHEAST", "SE"},
	{"SOUTHWEST", "SW"}, {"N", "N"}, {"S", "S"}, {"E", "E"}, {"W", "W"},
	{"NE", "NE"}, {"NW", "NW"}, {"SE", "SE"}, {"SW", "SW"},
};

/* USPS Publication 28 suffixes seen in the Phoenix area (full, short). */
static const char *const suffixes[][2] = {
	{"AVENUE", "AVE"}, {"AV", "AVE"}, {"AVE", "AVE"}, {"STREET", "ST"}, {"ST", "ST"},
	{"ROAD", "RD"}, {"RD", "RD"}, {"DRIVE", "DR"}, {"DR", "DR"},
	{"BOULEVARD", "BLVD"}, {"BLVD", "BLVD"}, {"LANE", "LN"}, {"LN", "LN"},
	{"COURT", "CT"}, {"CT", "CT"}, {"PLACE", "PL"}, {"PL", "PL"},
	{"CIRCLE", "CIR"}, {"CIR", "CIR"}, {"TERRACE", "TER"}, {"TER", "TER"},
	{"PARKWAY", "PKWY"}, {"PKWY", "PKWY"}, {"HIGHWAY", "HWY"}, {"HWY", "HWY"},
	{"TRAIL", "TRL"}, {"TRL", "TRL"}, {"WAY", "WAY"}, {"SQUARE", "SQ"}, {"SQ", "SQ"},
	{"FREEWAY", "FWY"}, {"FWY", "FWY"}, {"EXPRESSWAY", "EXPY"}, {"EXPY", "EXPY"},
	{"LOOP", "LOOP"}, {"PATH", "PATH"}, {"RUN", "RUN"}, {"CROSSING", "XING"},
	{"XING", "XING"}, {"ALLEY", "ALY"}, {"ALY", "ALY"}, {"POINT", "PT"}, {"PT", "PT"},
	{"VISTA", "VIS"}, {"VIS", "VIS"}, {"CANYON", "CYN"}, {"CYN", "CYN"},
	{"RIDGE", "RDG"}, {"RDG", "RDG"}, {"PLAZA", "PLZ"}, {"PLZ", "PLZ"},
	{"PASS", "PASS"}, {"ROW", "ROW"}, {"CENTER", "CTR"}, {"CTR", "CTR"},
	{"COVE", "CV"}, {"CV", "CV"}, {"GLEN", "GLN"}, {"GLN", "GLN"},
	{"HEIGHTS", "HTS"}, {"HTS", "HTS"}, {"MOUNTAIN", "MTN"}, {"MTN", "MTN"},
};

/* Markers that introduce a unit. */
static const char *const unit_markers[] = {
	"APT", "APARTMENT", "UNIT", "STE", "SUITE", "SPC", "SPACE", "LOT", "BLDG",
	"RM", "ROOM", "#",
};

static const char *lookup(const char *const (*table)[2], size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(table[i][0], word) == 0)
			return table[i][1];
	return NULL;
}

#define DIRECTIONAL(w) lookup(directionals, sizeof directionals / sizeof directionals[0], w)
#define SUFFIX(w) lookup(suffixes, sizeof suffixes / sizeof suffixes[0], w)

static int is_unit_marker(const char *w)
{
	for (size_t i = 0; i < sizeof unit_markers / sizeof unit_markers[0]; i++)
		if (strcasecmp(unit_markers[i], w) == 0)
			return 1;
	return 0;
}

char *phx_addr_clean(const char *s)
{
	phx_buf b = PHX_BUF_INIT;
	int space = 0;
	phx_buf_adds(&b, "");
	for (; s && *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			phx_buf_addc(&b, ' ');
		space = 0;
		phx_buf_addc(&b, *s);
	}
	return phx_buf_steal(&b);
}

static void tokenize(tokens *tk, const char *line)
{
	tk->copy = phx_addr_clean(line);
	tk->n = 0;
	char *p = tk->copy;
	while (*p && tk->n < MAX_TOKENS) {
		tk->t[tk->n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
}

static char *join(char *const *t, int from, int to)
{
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "");
	for (int i = from; i < to; i++) {
		if (i > from)
			phx_buf_addc(&b, ' ');
		phx_buf_adds(&b, t[i]);
	}
	return phx_buf_steal(&b);
}

/* A short token that reads as a unit: "1", "12B", "A". */
static int looks_like_unit(const char *w)
{
	size_t n = strlen(w), digits = 0;
	if (n == 0 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)w[i]))
			digits++;
		else if (!isalpha((unsigned char)w[i]) && w[i] != '-')
			return 0;
	}
	return digits > 0 || n == 1;
}

/* Index where the unit starts (its marker, if any), or tk->n when none. */
static int unit_start(const tokens *tk, int *value_at)
{
	for (int i = 2; i < tk->n; i++) {
		if (tk->t[i][0] == '#' && tk->t[i][1]) {
			*value_at = i;
			return i;
		}
		if (is_unit_marker(tk->t[i]) && i + 1 < tk->n) {
			*value_at = i + 1;
			return i;
		}
	}
	/* glued: NUMBER ... SUFFIX UNIT, not "HWY 60" */
	int last = tk->n - 1;
	if (tk->n >= 4 && isdigit((unsigned char)tk->t[0][0]) && looks_like_unit(tk->t[last])) {
		const char *suf = SUFFIX(tk->t[last - 1]);
		if (suf && strcmp(suf, "HWY") != 0) {
			*value_at = last;
			return last;
		}
	}
	*value_at = tk->n;
	return tk->n;
}

void phx_addr_split_unit(const char *line, char **street, char **unit)
{
	tokens tk;
	tokenize(&tk, line ? line : "");
	int value_at;
	int at = unit_start(&tk, &value_at);
	*street = join(tk.t, 0, at);
	*unit = NULL;
	if (value_at < tk.n) {
		char *u = join(tk.t, value_at, tk.n);
		if (u[0] == '#') {
			char *v = phx_xstrdup(u + 1);
			free(u);
			u = v;
		}
		if (u[0] == '\0')
			free(u);	/* "APT #" names no unit: unknown, not "" */
		else
			*unit = u;
	}
	free(tk.copy);
}

static void add_lower(phx_buf *b, const char *s)
{
	for (; *s; s++)
		if (*s != '.' && *s != ',')
			phx_buf_addc(b, (char)tolower((unsigned char)*s));
}

/* The street part of the key: directionals and the suffix abbreviated. */
static void add_street_key(phx_buf *b, char *const *t, int from, int to)
{
	int suffix_at = to - 1;
	if (to - from >= 2 && DIRECTIONAL(t[to - 1]) && strlen(t[to - 1]) > 0)
		suffix_at = to - 2;	/* post-directional: "MAIN ST W" */
	for (int i = from; i < to; i++) {
		const char *w = t[i];
		const char *m = NULL;
		if (i == from || i == to - 1)
			m = DIRECTIONAL(w);
		if (!m && i == suffix_at && i > from)
			m = SUFFIX(w);
		if (b->len && b->data[b->len - 1] != '|')
			phx_buf_addc(b, ' ');
		add_lower(b, m ? m : w);
	}
}

char *phx_address_key(const char *zip, const char *street, const char *unit)
{
	char *st, *split_unit;
	phx_addr_split_unit(street, &st, &split_unit);
	if (!unit || !*unit)
		unit = split_unit;
	phx_buf b = PHX_BUF_INIT;
	if (zip)
		for (int i = 0; i < 5 && isdigit((unsigned char)zip[i]); i++)
			phx_buf_addc(&b, zip[i]);
	phx_buf_addc(&b, '|');
	tokens tk;
	tokenize(&tk, st);
	int from = 0;
	if (tk.n > 0 && isdigit((unsigned char)tk.t[0][0])) {
		add_lower(&b, tk.t[0]);
		from = 1;
	}
	phx_buf_addc(&b, '|');
	add_street_key(&b, tk.t, from, tk.n);
	phx_buf_addc(&b, '|');
	if (unit) {
		char *u = phx_addr_clean(unit[0] == '#' ? unit + 1 : unit);
		add_lower(&b, u);
		free(u);
	}
	free(tk.copy);
	free(st);
	free(split_unit);
	return phx_buf_steal(&b);
}
