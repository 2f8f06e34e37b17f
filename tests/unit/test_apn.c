/* test_apn.c - APN spellings. */
#include "unit.h"
#include "apn.h"

static const char *norm(const char *s)
{
	static char out[PHX_APN_MAX];
	return phx_apn_normalize(s, out) == 0 ? out : "(invalid)";
}

int main(void)
{
	CHECK_STR(norm("103-06-005"), "10306005");
	CHECK_STR(norm("103 06 005"), "10306005");
	CHECK_STR(norm("103.06.005"), "10306005");
	CHECK_STR(norm("10306005"), "10306005");
	CHECK_STR(norm(" 10306005 \n"), "10306005");
	CHECK_STR(norm("102-19-009f"), "10219009F");
	CHECK_STR(norm("10219009F"), "10219009F");
	CHECK_STR(norm("102-19-009 F"), "10219009F");
	CHECK_STR(norm("1030600"), "(invalid)");
	CHECK_STR(norm("103060055"), "(invalid)");
	CHECK_STR(norm("10306005FG"), "(invalid)");
	CHECK_STR(norm("F10306005"), "(invalid)");
	CHECK_STR(norm("103-06-0A5"), "(invalid)");
	CHECK_STR(norm(""), "(invalid)");
	CHECK_STR(norm("10306005\t9"), "(invalid)");
	char d[32];
	phx_apn_display("10219009F", d, sizeof d);
	CHECK_STR(d, "102-19-009F");
	phx_apn_display("10306005", d, sizeof d);
	CHECK_STR(d, "103-06-005");
	return unit_done();
}
