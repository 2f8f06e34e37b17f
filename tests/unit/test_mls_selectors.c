/* test_mls_selectors.c - the selectors file: what it refuses (naming the
 * line), the label normaliser, that an edited file changes the extraction,
 * and the --check-selectors report. */
#include <unistd.h>
#include "defaults.h"
#include "mls_fixture.h"
#include "mls_selectors.h"
#include "unit.h"

static phx_mls_selectors *parse(const char *text, char *err, size_t n)
{
	err[0] = '\0';
	return phx_mls_selectors_parse(text, "test.conf", err, n);
}

static void refusals(void)
{
	char err[512];
	static const struct { const char *text, *want; } bad[] = {
		{ "template classic //div[\n", "test.conf:1: not an XPath 1.0 expression" },
		{ "template classic //div\nfrobnicate x\n", "test.conf:2: unknown directive" },
		{ "template classic //div\nfield * colour //b\n", "test.conf:2: unknown field" },
		{ "template classic //div\nrow-label b\n", "test.conf:2: row-label must follow" },
		{ "template classic //div\nrow classic //p\nrow-label b\n",
		  "test.conf:2: a row needs both" },
		{ "template classic //div\ntext bedrooms [0-9]+ beds\n",
		  "test.conf:2: the expression needs a group" },
		{ "template classic //div\ntext bedrooms ([0-9\n", "test.conf:2: not a POSIX" },
		{ "# nothing\nlabel bedrooms beds\n", "test.conf:0: no template line" },
		{ "template * //div\n", "test.conf:1: template needs a NAME" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		phx_mls_selectors *s = parse(bad[i].text, err, sizeof err);
		CHECK(s == NULL);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			printf("# got \"%s\"\n", err);
		CHECK(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0);
		phx_mls_selectors_free(s);
	}
	phx_mls_selectors *s = phx_mls_selectors_load("/nonexistent/sel.conf", err, sizeof err);
	CHECK(s == NULL);
	CHECK(strstr(err, "/nonexistent/sel.conf") != NULL);
}

static void labels(void)
{
	char out[64];
	CHECK_STR(phx_mls_label_norm("# Bedrooms:", out, sizeof out), "bedrooms");
	CHECK_STR(phx_mls_label_norm("  Approx   SQFT ", out, sizeof out), "approx sqft");
	CHECK_STR(phx_mls_label_norm("Assessor's Parcel #:", out, sizeof out),
		  "assessor's parcel");
	CHECK_STR(phx_mls_label_norm("Lot\xc2\xa0Size:", out, sizeof out), "lot size");
	char err[256];
	phx_mls_selectors *s = phx_mls_selectors_load(NULL, err, sizeof err);
	CHECK(s != NULL);
	CHECK_STR(phx_mls_label_field(s, "bedrooms"), "bedrooms");
	CHECK_STR(phx_mls_label_field(s, "assessor number"), "apn");
	CHECK_STR(phx_mls_label_field(s, "assessor's parcel"), "apn");
	CHECK_STR(phx_mls_label_field(s, "approx lot acres"), "lot_acres");
	CHECK(phx_mls_label_field(s, "favourite colour") == NULL);
	phx_mls_selectors_free(s);
}

/* The shipped file with one line changed, written to a temporary file. */
static char *edited(const char *from, const char *to)
{
	const char *d = phx_default_mls_selectors, *hit = strstr(d, from);
	if (!hit)
		return NULL;
	static char path[64];
	snprintf(path, sizeof path, "/tmp/phx-mls-sel-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	fwrite(d, 1, (size_t)(hit - d), f);
	fputs(to, f);
	fputs(hit + strlen(from), f);
	fclose(f);
	return path;
}

static void edited_file(void)
{
	char err[512];
	const char *code;
	/* the site renames "Approx SQFT" to "Living SqFt": one label line fixes it */
	char *page = fx_read("classic_active", ".html", NULL);
	char *url = fx_read("classic_active", ".url", NULL);
	CHECK(page && url);
	if (!page || !url)
		return;
	url[strcspn(url, "\n")] = '\0';
	char *hit = strstr(page, "<b>Approx SQFT:</b>");
	CHECK(hit != NULL);
	const char *renamed = "<b>Living SqFt:</b>";
	size_t n = strlen(page), rl = strlen(renamed), ol = strlen("<b>Approx SQFT:</b>");
	char *changed = malloc(n + rl + 1);
	memcpy(changed, page, (size_t)(hit - page));
	memcpy(changed + (hit - page), renamed, rl);
	memcpy(changed + (hit - page) + rl, hit + ol, n - (size_t)(hit - page) - ol + 1);
	/* the header line "1652 sqft" would fill it through the text fallback:
	 * drop that line too so only the label can */
	char *sq = strstr(changed, " sqft\n");
	CHECK(sq != NULL);
	if (sq)
		memcpy(sq, " ....", 5);
	size_t cl = strlen(changed);

	phx_mls_selectors *stock = phx_mls_selectors_load(NULL, err, sizeof err);
	json_t *r = NULL;
	char reason[256];
	CHECK(phx_mls_extract_detail(stock, changed, cl, url, &r, &code, reason,
				     sizeof reason) == 0);
	CHECK(at_null(r, "/features/square_feet"));
	CHECK_STR(at_s(r, "/raw/labels/Living SqFt"), "1,652");	/* raw keeps it */
	json_decref(r);

	char *path = edited("label square_feet approx sqft\n",
			    "label square_feet approx sqft\nlabel square_feet living sqft\n");
	CHECK(path != NULL);
	phx_mls_selectors *mine = path ? phx_mls_selectors_load(path, err, sizeof err) : NULL;
	CHECK(mine != NULL);
	r = NULL;
	if (mine)
		CHECK(phx_mls_extract_detail(mine, changed, cl, url, &r, &code, reason,
					     sizeof reason) == 0);
	CHECK_INT(at_i(r, "/features/square_feet"), 1652);
	CHECK_STR(at_s(r, "/_phx/mls/selectors"), path ? path : "");
	json_decref(r);
	phx_mls_selectors_free(mine);
	if (path)
		unlink(path);

	/* a field selector edited away: the price then comes from the meta tag */
	path = edited("field classic list_price //div[contains(@class,'flexmls_connect__ld_price')]/div",
		      "field classic list_price //div[@id='no-such-price']");
	mine = path ? phx_mls_selectors_load(path, err, sizeof err) : NULL;
	CHECK(mine != NULL);
	json_t *rep = mine ? phx_mls_selectors_report(mine, page, strlen(page), url) : NULL;
	size_t i;
	json_t *x;
	int seen = 0;
	json_array_foreach(rep, i, x)
		if (strcmp(at_s(x, "/kind"), "field") == 0 &&
		    strcmp(at_s(x, "/field"), "list_price") == 0 &&
		    strcmp(at_s(x, "/template"), "classic") == 0) {
			seen = 1;
			CHECK(json_is_false(at(x, "/matched")));
		}
	CHECK(seen);
	json_decref(rep);
	phx_mls_selectors_free(mine);
	if (path)
		unlink(path);
	phx_mls_selectors_free(stock);
	free(changed);
	free(page);
	free(url);
}

static void report(void)
{
	char err[256];
	phx_mls_selectors *s = phx_mls_selectors_load(NULL, err, sizeof err);
	char *page = fx_read("v2_hoa_entities", ".html", NULL);
	CHECK(page != NULL);
	if (!page || !s)
		return;
	json_t *rep = phx_mls_selectors_report(s, page, strlen(page),
					       "https://x/mls/a-mls_6941004/");
	CHECK(json_is_array(rep));
	CHECK_STR(at_s(rep, "/0/kind"), "page");
	CHECK_STR(at_s(rep, "/0/template"), "v2");
	size_t i;
	json_t *x;
	int v2_rows = 0, classic_skipped = 0, hoa_fee = 0, price = 0;
	json_array_foreach(rep, i, x) {
		const char *kind = at_s(x, "/kind"), *tmpl = at_s(x, "/template");
		if (strcmp(kind, "row") == 0 && strcmp(tmpl, "v2") == 0 &&
		    json_is_true(at(x, "/matched"))) {
			v2_rows++;
			size_t j;
			json_t *row;
			json_array_foreach(at(x, "/read"), j, row)
				if (strcmp(at_s(row, "/label"), "HOA Fee") == 0) {
					CHECK_STR(at_s(row, "/field"), "hoa_fee");
					CHECK_STR(at_s(row, "/value"), "$450");
					hoa_fee = 1;
				}
		}
		if (strcmp(tmpl, "classic") == 0 && at(x, "/skipped"))
			classic_skipped++;
		if (strcmp(kind, "field") == 0 && strcmp(at_s(x, "/field"), "list_price") == 0 &&
		    strcmp(tmpl, "v2") == 0) {
			CHECK_STR(at_s(x, "/read"), "$389,000");
			price = 1;
		}
	}
	CHECK_INT(v2_rows, 2);
	CHECK(classic_skipped > 5);
	CHECK(hoa_fee);
	CHECK(price);
	json_decref(rep);
	/* a page of another site: every selector reported, none matched */
	const char *other = "<html><body><h1 class='address'>1 Main</h1></body></html>";
	rep = phx_mls_selectors_report(s, other, strlen(other), NULL);
	CHECK(at_null(rep, "/0/template"));
	CHECK_INT(at_i(rep, "/0/matched"), 0);
	CHECK(json_array_size(rep) > 10);
	json_decref(rep);
	rep = phx_mls_selectors_report(s, "", 0, NULL);
	CHECK(at(rep, "/0/error") != NULL);
	json_decref(rep);
	free(page);
	phx_mls_selectors_free(s);
}

/* The one-walk answers (mls_xpath.c) equal plain XPath on every fixture,
 * record and report alike. */
static void one_walk_equals_xpath(void)
{
	static const char *const names[] = {
		"classic_active", "classic_acres", "classic_baths_full_half", "classic_ccbs",
		"classic_cents", "classic_closed", "classic_coming_soon", "classic_condo_hoa",
		"classic_dwelling_gemini", "classic_entities", "classic_hostile",
		"classic_jsonld_wrong", "classic_masked", "classic_no_hoa", "classic_no_photos",
		"classic_pending", "classic_range", "classic_same_address_old", "classic_temp_off",
		"classic_ucb", "v2_active", "v2_closed_acres", "v2_coming_soon", "v2_hoa_entities",
		"layout_changed", "not_found",
	};
	char err[256];
	phx_mls_selectors *fast = phx_mls_selectors_load(NULL, err, sizeof err);
	phx_mls_selectors *plain = phx_mls_selectors_load(NULL, err, sizeof err);
	CHECK(fast && plain);
	if (!fast || !plain)
		return;
	plain->plain = 1;
	size_t with_slot = 0;
	for (size_t i = 0; i < fast->nsels; i++)
		with_slot += fast->sels[i].slot >= 0;
	CHECK(with_slot > 20);	/* most shipped selectors take the one-walk path */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *c1, *c2;
		json_t *a = fx_extract(fast, names[i], &c1), *b = fx_extract(plain, names[i], &c2);
		json_object_del(a, "observed_at");
		json_object_del(b, "observed_at");
		int same = (a == NULL) == (b == NULL) && (!a || json_equal(a, b)) && c1 == c2;
		if (!same)
			printf("# %s differs\n", names[i]);
		CHECK(same);
		json_decref(a);
		json_decref(b);
		char *page = fx_read(names[i], ".html", NULL);
		json_t *ra = phx_mls_selectors_report(fast, page, strlen(page), NULL);
		json_t *rb = phx_mls_selectors_report(plain, page, strlen(page), NULL);
		CHECK(json_equal(ra, rb));
		json_decref(ra);
		json_decref(rb);
		free(page);
	}
	phx_mls_selectors_free(fast);
	phx_mls_selectors_free(plain);
}

int main(void)
{
	one_walk_equals_xpath();
	refusals();
	labels();
	edited_file();
	report();
	return unit_done();
}
