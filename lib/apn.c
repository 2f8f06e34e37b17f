/* apn.c - APN spellings to one canonical form. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "apn.h"

int phx_apn_normalize(const char *s, char out[PHX_APN_MAX])
{
	size_t digits = 0, letters = 0, j = 0;
	while (isspace((unsigned char)*s))
		s++;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '-' || c == '.' || c == ' ')
			continue;
		if (isspace(c)) {
			/* only trailing white space is allowed */
			while (isspace((unsigned char)*s))
				s++;
			if (*s)
				return -1;
			break;
		}
		if (isdigit(c) && letters == 0 && digits < 8) {
			digits++;
		} else if (isalpha(c) && digits == 8 && letters == 0) {
			letters++;
			c = (unsigned char)toupper(c);
		} else {
			return -1;
		}
		out[j++] = (char)c;
	}
	if (digits != 8)
		return -1;
	out[j] = '\0';
	return 0;
}

void phx_apn_display(const char *canonical, char *out, size_t n)
{
	if (strlen(canonical) < 8) {
		snprintf(out, n, "%s", canonical);
		return;
	}
	snprintf(out, n, "%.3s-%.2s-%s", canonical, canonical + 3, canonical + 5);
}
