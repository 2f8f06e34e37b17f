/* report_csv.c - the day's new listings and price changes as RFC 4180 CSV
 * (CRLF line ends, a header line, every field quoted by libcsv), for people
 * who open the report in a spreadsheet. Identifiers stay the strings they
 * are: a ZIP or a property id is never written as a number. */
#include <stdio.h>
#include <string.h>
#include "csv_write.h"
#include "report.h"
#include "report_int.h"

static const char *const header[] = {
	"date", "change", "property_id", "zip", "address", "price", "old_price",
	"beds", "baths", "url", NULL
};

static void field(phx_buf *o, const char *s, int first)
{
	phx_csv_field(o, s, strlen(s), first);
}

/* A JSON member as CSV text: strings as they are, integers in full, reals
 * with one decimal (half baths), null as an empty field. */
static void text_of(const json_t *v, char *out, size_t n)
{
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.1f", json_real_value(v));
	else
		out[0] = '\0';
}

static void row(phx_buf *o, const char *date, const char *change, const json_t *l)
{
	static const char *const keys[] = {
		"property_id", "zip", "address", "price", "old_price", "beds", "baths", "url", NULL
	};
	char v[2048];

	field(o, date, 1);
	field(o, change, 0);
	for (int i = 0; keys[i]; i++) {
		text_of(json_object_get(l, keys[i]), v, sizeof v);
		field(o, v, 0);
	}
	phx_buf_adds(o, "\r\n");
}

void phx_report_csv(const json_t *m, phx_buf *o)
{
	const char *date = phx_jstr(m, "date");
	const json_t *e;
	size_t i;

	for (i = 0; header[i]; i++)
		field(o, header[i], i == 0);
	phx_buf_adds(o, "\r\n");
	json_array_foreach(json_object_get(m, "new_listings"), i, e)
		row(o, date ? date : "", "new", e);
	json_array_foreach(json_object_get(m, "price_changes"), i, e)
		row(o, date ? date : "", "price_change", e);
}
