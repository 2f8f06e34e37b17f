/* test_mls_search.c - search results pages: the count, classic and v2
 * cards to canonical detail URLs (query string dropped, relative links
 * resolved), the Next button, a page of no cards, a page that is no
 * results page; the card signature follows price, status and time. */
#include "mls_search.h"
#include "mls_selectors.h"
#include "unit.h"

static const char classic[] =
	"<html><head><link rel='prerender' href='/mls/search/?pg=2'></head><body>"
	"<div class='flexmls_connect__sr_matches'><span class='flexmls_connect__sr_matches_count'>"
	"1,234</span> matches found</div>"
	"<div class='flexmls_connect__sr_result' title='5219 W Glenn Dr - MLS# 6937912' "
	"link='https://www.phoenixmlssearch.com/mls/5219-W-Glenn-Dr-Glendale-AZ-85031-mls_6937912/"
	"?PostalCode=85031&amp;pg=1&amp;p=y'>"
	"<div class='flexmls_connect__sr_price'>$450,000</div>"
	"<div class='flexmls_connect__zebra'><span class='flexmls_connect__field_label'>Status: "
	"</span><span class='flexmls_connect__field_value'>Pending</span></div></div>"
	"<div class='flexmls_connect__sr_result'>"
	"<div class='flexmls_connect__sr_address'>"
	"<a href='/mls/1-W-Main-St-Phoenix-AZ-85031-mls_1234567/?x=1'>"
	"1 W Main St<br />Phoenix, AZ 85031</a></div></div>"
	"<div class='flexmls_connect__sr_result'><button href='/mls/no-number/'>View</button></div>"
	"<div class='flexmls_connect__sr_pagination'><span>1</span> <a href='?pg=2'>2</a> "
	"<button href='?pg=2'>Next</button></div></body></html>";

static const char v2[] =
	"<html><body><div class='flexmls-listings-list'>"
	"<a href='https://x.example/mls/6125-W-Hubbell-St-Phoenix-AZ-85035-mls_6941001/?pg=1&amp;"
	"search_referral_url=y' class='flexmls-listing'><span class='flexmls-price'>$389,000</span>"
	"<span class='flexmls-status flexmls-status-active'>Active</span>"
	"<span class='flexmls-detail'>3BD</span>"
	"<span class='flexmls-detail'>Last Modified: 3:04pm, December 5, 2025</span></a>"
	"</div></body></html>";

static phx_mls_selectors *sel;

static void classic_cards(void)
{
	phx_mls_results r;
	CHECK(phx_mls_search_parse(sel, classic, sizeof classic - 1,
				   "https://www.phoenixmlssearch.com/mls/search/?PostalCode=85031",
				   &r) == 0);
	CHECK_STR(r.tmpl, "classic");
	CHECK_INT(r.count, 1234);
	CHECK_INT(r.n, 2);	/* the card without an MLS number is left out */
	CHECK(r.has_next);
	if (r.n == 2) {
		CHECK_STR(r.cards[0].url, "https://www.phoenixmlssearch.com/mls/"
			  "5219-W-Glenn-Dr-Glendale-AZ-85031-mls_6937912/");
		CHECK_STR(r.cards[0].mls_id, "6937912");
		CHECK_STR(r.cards[0].price, "$450,000");
		CHECK_STR(r.cards[0].status, "Pending");
		CHECK_STR(r.cards[1].url, "https://www.phoenixmlssearch.com/mls/"
			  "1-W-Main-St-Phoenix-AZ-85031-mls_1234567/");
		CHECK_STR(r.cards[1].status, "");
	}
	phx_mls_results_free(&r);
}

static void v2_cards(void)
{
	phx_mls_results r;
	CHECK(phx_mls_search_parse(sel, v2, sizeof v2 - 1, "https://x.example/mls/search/", &r) == 0);
	CHECK_STR(r.tmpl, "v2");
	CHECK_INT(r.count, -1);
	CHECK_INT(r.n, 1);
	CHECK(!r.has_next);
	if (r.n == 1) {
		CHECK_STR(r.cards[0].url,
			  "https://x.example/mls/6125-W-Hubbell-St-Phoenix-AZ-85035-mls_6941001/");
		CHECK_STR(r.cards[0].status, "Active");
		CHECK_STR(r.cards[0].modified, "Last Modified: 3:04pm, December 5, 2025");
		char a[16], b[16];
		phx_mls_card_signature(&r.cards[0], a);
		CHECK_INT(strlen(a), 15);
		free(r.cards[0].price);
		r.cards[0].price = strdup("$384,000");
		phx_mls_card_signature(&r.cards[0], b);
		CHECK(strcmp(a, b) != 0);
	}
	phx_mls_results_free(&r);
}

static void other_pages(void)
{
	phx_mls_results r;
	static const char none[] = "<html><body><span class='flexmls_connect__sr_matches_count'>0"
				   "</span> matches found</body></html>";
	CHECK(phx_mls_search_parse(sel, none, sizeof none - 1, "https://x/", &r) == 0);
	CHECK_STR(r.tmpl, "none");
	CHECK_INT(r.count, 0);
	CHECK_INT(r.n, 0);
	phx_mls_results_free(&r);
	static const char other[] = "<html><body><main class='pdp'>A redesign</main></body></html>";
	CHECK(phx_mls_search_parse(sel, other, sizeof other - 1, "https://x/", &r) == 0);
	CHECK(r.tmpl == NULL);	/* the caller refuses it: layout changed */
	phx_mls_results_free(&r);
	CHECK(phx_mls_search_parse(sel, "", 0, "https://x/", &r) == -1);
	char *u = phx_mls_search_url("https://www.phoenixmlssearch.com/", "85031", 2, 25);
	CHECK_STR(u, "https://www.phoenixmlssearch.com/mls/search/?PostalCode=85031&pg=2&Limit=25");
	free(u);
}

/* the search lines are data: a renamed card class, one edited line */
static void edited(void)
{
	static const char renamed[] =
		"<html><body><span class='flexmls_connect__sr_matches_count'>1</span>"
		"<div class='idx-card' data-href='/mls/a-b-mls_7000001/?q=1'>$1</div></body></html>";
	phx_mls_results r;
	CHECK(phx_mls_search_parse(sel, renamed, sizeof renamed - 1, "https://x/", &r) == 0);
	CHECK_STR(r.tmpl, "none");	/* a count, no card: the caller sees it */
	CHECK_INT(r.n, 0);
	phx_mls_results_free(&r);
	char err[256];
	phx_mls_selectors *mine = phx_mls_selectors_parse(
		"template classic //div[@id='x']\n"
		"search count //span[contains(@class,'matches_count')]\n"
		"search card idx //div[@class='idx-card']\n"
		"search link idx @data-href\n"
		"search price idx .\n", "mine", err, sizeof err);
	CHECK(mine != NULL);
	if (!mine)
		return;
	CHECK(phx_mls_search_parse(mine, renamed, sizeof renamed - 1, "https://x/", &r) == 0);
	CHECK_STR(r.tmpl, "idx");
	CHECK_INT(r.n, 1);
	if (r.n == 1) {
		CHECK_STR(r.cards[0].url, "https://x/mls/a-b-mls_7000001/");
		CHECK_STR(r.cards[0].price, "$1");
		CHECK_STR(r.cards[0].status, "");
	}
	phx_mls_results_free(&r);
	json_t *rep = phx_mls_search_report(mine, renamed, sizeof renamed - 1, "https://x/");
	CHECK_INT(json_array_size(rep), 5);	/* the page, then each search line */
	CHECK_STR(json_string_value(json_object_get(json_array_get(rep, 3), "read")),
		  "/mls/a-b-mls_7000001/?q=1");
	json_decref(rep);
	phx_mls_selectors_free(mine);
	CHECK(phx_mls_selectors_parse("template a //x\nsearch bogus //y\n", "bad", err,
				      sizeof err) == NULL);
	CHECK(strstr(err, "bad:2:") != NULL);
	CHECK(phx_mls_selectors_parse("template a //x\nsearch card //y\n", "bad", err,
				      sizeof err) == NULL);	/* a card line needs a NAME */
}

int main(void)
{
	char err[256];
	sel = phx_mls_selectors_load(NULL, err, sizeof err);
	if (!sel) {
		printf("# %s\n", err);
		return 1;
	}
	classic_cards();
	v2_cards();
	other_pages();
	edited();
	phx_mls_selectors_free(sel);
	return unit_done();
}
