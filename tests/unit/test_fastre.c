/* test_fastre.c - the simple-pattern matcher answers what glibc regexec
 * answers, pattern by pattern and string by string; others are left to it. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "fastre.h"
#include "unit.h"

static const char *const patterns[] = {
	"^[0-9]{5}$", "^[A-Z]{2}$", "^[0-9]{8}[A-Z]?$", "^[a-z][a-z0-9_]*$", "[Zz]$",
	"^phx-[a-z]+$", "^(apn:[0-9A-Z]+|addr:.+)$", "^[^|]*[|][^|]*[|][^|]*[|][^|]*$",
	"^https?://[^?# ]+$", "b+", "a.c", "^a|b$", "x{2,3}", "^x{2,}$", "^(a|)$", "",
	"^$", "a\\.b", "[a-]z", "^[^a]*$", "(ab|cd)", "^.{2,4}$", "ab*c?d+", "^\\$",
	/* 64 steps and more: the byte-per-state path rather than the bit-parallel one */
	"^[0-9]{70}$", "x{2,80}$", "^[a-z]{60,70}b*c",
};

static const char *const subjects[] = {
	"", "85031", "8503", "850311", "AZ", "az", "10306005", "10306005F", "10306005FF",
	"maricopa", "Maricopa", "2026-11-28T10:00:03Z", "2026-11-28T10:00:03z", "phx-fetch",
	"apn:10306005", "addr:85031|1|a st|", "apn:", "85031|4027|n 55th ave|",
	"https://x.org/a", "https://x.org/a?b", "abbbc", "ac", "abc", "a\nc", "b", "ab",
	"xx", "xxx", "xxxx", "a", "a.b", "axb", "-z", "$", "cd", "abd", "acdd", "bbbb",
	"0123456789012345678901234567890123456789012345678901234567890123456789",
	"012345678901234567890123456789012345678901234567890123456789012345678",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrbbbc",
	"abcdefghijklmnopqrstuvwxyz",
};

static int by_regexec(const char *pattern, const char *s, size_t n)
{
	regex_t re;
	regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)n } };
	int r;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	r = regexec(&re, s, 1, m, REG_STARTEND) == 0;
	regfree(&re);
	return r;
}

static void test_same_answers(void)
{
	size_t np = sizeof patterns / sizeof patterns[0];
	size_t ns = sizeof subjects / sizeof subjects[0];

	for (size_t i = 0; i < np; i++) {
		phx_fastre *re = phx_fastre_compile(patterns[i]);
		int differ = 0;

		CHECK(re != NULL);	/* every pattern here is in the simple subset */
		for (size_t j = 0; re && j < ns; j++) {
			size_t n = strlen(subjects[j]);

			if (phx_fastre_match(re, subjects[j], n) !=
			    by_regexec(patterns[i], subjects[j], n)) {
				printf("# differ: /%s/ on \"%s\"\n", patterns[i], subjects[j]);
				differ++;
			}
		}
		CHECK_INT(differ, 0);
		phx_fastre_free(re);
	}
}

static void test_nul_bytes(void)
{
	phx_fastre *dot = phx_fastre_compile("^a.b$");
	phx_fastre *neg = phx_fastre_compile("^a[^x]b$");

	CHECK_INT(phx_fastre_match(dot, "a\0b", 3), by_regexec("^a.b$", "a\0b", 3));
	CHECK_INT(phx_fastre_match(neg, "a\0b", 3), by_regexec("^a[^x]b$", "a\0b", 3));
	CHECK_INT(phx_fastre_match(dot, "a\0b", 3), 0);
	phx_fastre_free(dot);
	phx_fastre_free(neg);
}

static void test_left_to_regexec(void)
{
	CHECK(phx_fastre_compile("(a|b)c") == NULL);	/* a group with something after */
	CHECK(phx_fastre_compile("(a)(b)") == NULL);
	CHECK(phx_fastre_compile("a{2}{3}") == NULL);
	CHECK(phx_fastre_compile("*a") == NULL);
	CHECK(phx_fastre_compile("a{,3}") == NULL);
	CHECK(phx_fastre_compile("a^b") == NULL);
	CHECK(phx_fastre_compile("a$b") == NULL);
	CHECK(phx_fastre_compile("(^a)") == NULL);
}

int main(void)
{
	test_same_answers();
	test_nul_bytes();
	test_left_to_regexec();
	return unit_done();
}
