/* fuzz_fastre.c - differential target: the simple-pattern matcher must answer
 * exactly what glibc regexec answers. The input is PATTERN, a newline, then
 * the subject (NUL bytes allowed). Patterns go through the same screening and
 * regcomp as a schema's; those fastre declines are skipped. */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fastre.h"
#include "schema_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char *pattern;
	phx_fastre *fast;
	regex_t re;

	if (!nl || memchr(data, '\0', (size_t)(nl - data)))
		return 0;
	pattern = strndup((const char *)data, (size_t)(nl - data));
	if (!pattern)
		return 0;
	if (phx_pattern_unsupported(pattern) ||
	    regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		free(pattern);
		return 0;
	}
	fast = phx_fastre_compile(pattern);
	if (fast) {
		size_t n = size - (size_t)(nl - data) - 1;
		char *s = malloc(n + 1);	/* NUL-terminated, as jansson's strings are */
		regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)n } };

		if (s) {
			memcpy(s, nl + 1, n);
			s[n] = '\0';
			if (phx_fastre_match(fast, s, n) !=
			    (regexec(&re, s, 1, m, REG_STARTEND) == 0))
				abort();
			free(s);
		}
		phx_fastre_free(fast);
	}
	regfree(&re);
	free(pattern);
	return 0;
}
