/* llm_rules.c - pattern extraction for when no model answers (llm_rules.h).
 * POSIX extended regular expressions, case-insensitive, over a lower-case
 * NUL-free copy of the text; the answer then goes through the same checks
 * (llm_check.c) as a model's. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "buf.h"
#include "llm_check.h"
#include "llm_rules.h"
#include "xalloc.h"

#define NUMWORD "[0-9]+|one|two|three|four|five|six|single"
#define B "(^|[^a-z0-9_])"

static const struct pattern {
	const char *field;
	const char *re;
	int real;		/* value may have a fraction */
} patterns[] = {
	{ "bedrooms", B "(" NUMWORD ")[ -]*(bedrooms?|beds?|bd|br)([^a-z0-9_]|$)", 0 },
	{ "bathrooms", B "([0-9]+(\\.[0-9]+)?|one|two|three|four)[ -]*(bathrooms?|baths?|ba)"
		       "([^a-z0-9_]|$)", 1 },
	{ "square_feet", B "([0-9][0-9,]*)[ ]*(sq\\.? ?ft|sqft|square feet)([^a-z0-9_]|$)", 0 },
	{ "year_built", B "built in ([0-9]{4})([^0-9]|$)", 0 },
	{ "garage_spaces", B "(" NUMWORD ")[ -]car garage([^a-z0-9_]|$)", 0 },
	{ "stories", B "(" NUMWORD ")[ -]stor(y|ies)([^a-z0-9_]|$)", 0 },
};
#define NPAT (sizeof patterns / sizeof *patterns)

static regex_t compiled[NPAT];
static int ready;

int phx_llm_rules_init(void)
{
	if (ready)
		return 0;
	for (size_t i = 0; i < NPAT; i++) {
		if (regcomp(&compiled[i], patterns[i].re, REG_EXTENDED | REG_ICASE) != 0) {
			while (i-- > 0)
				regfree(&compiled[i]);
			return -1;
		}
	}
	ready = 1;
	return 0;
}

void phx_llm_rules_free(void)
{
	if (!ready)
		return;
	for (size_t i = 0; i < NPAT; i++)
		regfree(&compiled[i]);
	ready = 0;
}

static const char *const words[] = { "zero", "one", "two", "three", "four", "five", "six" };

/* The number in the match's second group, as JSON text into out. */
static void add_number(phx_buf *out, const char *s, size_t n)
{
	if (n == 6 && strncmp(s, "single", 6) == 0) {
		phx_buf_addc(out, '1');
		return;
	}
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		if (strlen(words[w]) == n && strncmp(s, words[w], n) == 0) {
			phx_buf_printf(out, "%zu", w);
			return;
		}
	}
	/* digits as the text has them ("1,450", "08", "2.5"), printed back as
	 * JSON; a run of digits no listing states (over 15) is no figure */
	char num[24];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ',')
			continue;
		if (k + 1 >= sizeof num) {
			phx_buf_adds(out, "null");
			return;
		}
		num[k++] = s[i];
	}
	num[k] = '\0';
	char *end;
	double v = strtod(num, &end);
	if (end == num || *end != '\0' || !(v >= 0 && v < 1e15))
		phx_buf_adds(out, "null");
	else
		phx_buf_printf(out, "%.15g", v);
}

static void answer_field(phx_buf *out, const phx_llm_field *fd, const char *text, size_t len)
{
	if (fd->type == PHX_LLM_BOOLEAN) {
		int yes = 0, no = 0;
		for (size_t i = 0; i < fd->nevidence; i++) {
			yes |= phx_llm_text_has_word(text, len, fd->evidence[i]);
			char neg[96];
			size_t l = strlen(fd->evidence[i]);
			if (l + 4 < sizeof neg) {
				memcpy(neg, "no ", 3);
				memcpy(neg + 3, fd->evidence[i], l + 1);
				no |= phx_llm_text_has_word(text, len, neg);
			}
		}
		phx_buf_adds(out, yes ? "true" : no ? "false" : "null");
		return;
	}
	for (size_t i = 0; i < NPAT; i++) {
		regmatch_t m[3];
		if (strcmp(patterns[i].field, fd->name) != 0)
			continue;
		if (regexec(&compiled[i], text, 3, m, 0) == 0 && m[2].rm_so >= 0) {
			add_number(out, text + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));
			return;
		}
	}
	phx_buf_adds(out, "null");
}

char *phx_llm_rules_answer(const phx_llm_fields *f, const int *idx, size_t n,
			   const char *desc, size_t len)
{
	char *text = phx_xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)	/* NUL would end regexec early */
		text[i] = desc[i] ? (char)tolower((unsigned char)desc[i]) : ' ';
	text[len] = '\0';
	phx_buf out = PHX_BUF_INIT;
	phx_buf_addc(&out, '{');
	for (size_t i = 0; i < n; i++) {
		const phx_llm_field *fd = phx_llm_field_at(f, (size_t)idx[i]);
		if (i)
			phx_buf_addc(&out, ',');
		phx_buf_add_json_string(&out, fd->name, strlen(fd->name));
		phx_buf_addc(&out, ':');
		answer_field(&out, fd, text, len);
	}
	phx_buf_addc(&out, '}');
	free(text);
	return phx_buf_steal(&out);
}
