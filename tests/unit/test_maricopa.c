/* test_maricopa.c - URLs, answer checks, numbers, types, records from
 * canned county JSON. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "maricopa.h"

static const char search_item[] =
	"{\"MCR\":\"\",\"SubdivisonName\":\"E 500F OF S 500F OF SE4\","
	"\"SectionTownshipRange\":\"222N1E\",\"APN\":\"10219009F\","
	"\"Ownership\":\"EXAMPLE  INVESTMENT GROUP LLC \",\"SitusAddress\":\"7606 W INDIAN SCHOOL RD 1\","
	"\"SitusCity\":\"PHOENIX\",\"SitusZip\":\"85033\",\"PropertyType\":\"VACANT LAND COMMERCIAL \","
	"\"RentalID\":null}";

static const char details[] =
	"{\"MCR\":\"6706\",\"PropertyType\":\"RESIDENTIAL\",\"LotSize\":6011,"
	"\"Geo\":{\"lat\":33.4612,\"long\":\"-112.1801\"},"
	"\"Owner\":{\"Ownership\":\"EXAMPLE OWNER A\",\"DeedDate\":\"2012-09-14T00:00:00\","
	"\"SalePrice\":\"108,000\",\"Redacted\":false},"
	"\"ResidentialPropertyData\":{\"ConstructionYear\":\"1955\",\"LivableSpace\":1152,"
	"\"Pool\":0,\"NumberOfGarages\":\"na\"},"
	"\"Valuations\":[{\"TaxYear\":\"2026\",\"FullCashValue\":\"1,234,500\","
	"\"LimitedPropertyValue\":\"201,538\",\"AssessedFCV\":\"na\"},\"junk\"],"
	"\"APN\":\"10306005\",\"SitusAddress\":\"4027 N 55TH AVE\",\"SitusZip\":\"85031\"}";

static json_t *load(const char *s)
{
	return json_loads(s, 0, NULL);
}

static const char *jstr(json_t *rec, const char *path)
{
	static char out[256];
	char p[128];
	snprintf(p, sizeof p, "%s", path);
	json_t *v = rec;
	for (char *save = NULL, *k = strtok_r(p, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)strtol(k, NULL, 10))
			: json_object_get(v, k);
	char *d = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
	snprintf(out, sizeof out, "%s", d ? d : "(missing)");
	free(d);
	return out;
}

static void urls(void)
{
	char *u = phx_maricopa_search_url("http://h:1/", "4027 N 55TH AVE", 3);
	CHECK_STR(u, "http://h:1/search/property/?q=4027%20N%2055TH%20AVE&page=3");
	free(u);
	u = phx_maricopa_search_url("https://mcassessor.maricopa.gov", "a&b=c", 0);
	CHECK_STR(u, "https://mcassessor.maricopa.gov/search/property/?q=a%26b%3Dc&page=1");
	free(u);
	u = phx_maricopa_parcel_url("http://h:1", "10219009F");
	CHECK_STR(u, "http://h:1/parcel/10219009F");
	free(u);
	CHECK_INT(phx_maricopa_pages(6632), 266);
	CHECK_INT(phx_maricopa_pages(13097), 524);
	CHECK_INT(phx_maricopa_pages(9921), 397);
	CHECK_INT(phx_maricopa_pages(25), 1);
	CHECK_INT(phx_maricopa_pages(26), 2);
	CHECK_INT(phx_maricopa_pages(0), 0);
}

static const char *check(long status, const char *reason, const char *ctype, const char *body,
			 int want_object)
{
	phx_http_result r;
	memset(&r, 0, sizeof r);
	r.status = status;
	r.reason = reason;
	r.content_type = ctype;
	r.body = body;
	r.body_len = strlen(body);
	json_t *doc = NULL;
	char why[256];
	const char *code = phx_maricopa_check(&r, want_object, &doc, why, sizeof why);
	CHECK((code == NULL) == (doc != NULL));
	json_decref(doc);
	return code ? code : "ok";
}

static void answers(void)
{
	CHECK_STR(check(500, "[search]:Unauthorized access! Please contact support.", "text/html",
			"", 0), "fetch.auth");
	CHECK_STR(check(500, "Internal Server Error", "text/html", "", 0), "fetch.http_500");
	CHECK_STR(check(404, "Not Found", "text/html", "", 1), "fetch.not_found");
	CHECK_STR(check(200, "OK", "application/json", "[]", 1), "fetch.not_found");
	CHECK_STR(check(200, "OK", "text/html; charset=utf-8",
			"\xEF\xBB\xBF<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">", 0),
		  "fetch.not_json");
	/* HTML even when the server claims JSON */
	CHECK_STR(check(200, "OK", "application/json", "<html></html>", 0), "fetch.not_json");
	CHECK_STR(check(200, "OK", "application/json", "{\"TOTAL\":1,", 0), "fetch.not_json");
	CHECK_STR(check(200, "OK", "application/json", "[1]", 1), "fetch.bad_shape");
	CHECK_STR(check(200, "OK", "application/json; charset=utf-8",
			"{\"TOTAL\":0,\"Results\":[]}", 0), "ok");
	CHECK_STR(check(200, "OK", "", "{\"a\":1}", 1), "ok");

	long long total;
	json_t *res, *doc = load("{\"TOTAL\":6632,\"Results\":[{}]}");
	char why[128];
	CHECK(phx_maricopa_search_page(doc, &total, &res, why, sizeof why) == NULL);
	CHECK_INT(total, 6632);
	CHECK_INT(json_array_size(res), 1);
	json_decref(doc);
	doc = load("{\"TOTAL\":\"6632\",\"Results\":[]}");
	CHECK_STR(phx_maricopa_search_page(doc, &total, &res, why, sizeof why), "fetch.bad_shape");
	json_decref(doc);
	doc = load("{\"TOTAL\":5}");
	CHECK_STR(phx_maricopa_search_page(doc, &total, &res, why, sizeof why), "fetch.bad_shape");
	json_decref(doc);
}

static const char *num(const char *json)
{
	static char out[64];
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	json_t *n = phx_maricopa_int(v);
	char *d = json_dumps(n, JSON_ENCODE_ANY);
	snprintf(out, sizeof out, "%s", d);
	free(d);
	json_decref(n);
	json_decref(v);
	return out;
}

static void values(void)
{
	CHECK_STR(num("\"1,234,500\""), "1234500");
	CHECK_STR(num("1234500"), "1234500");
	CHECK_STR(num("\"$289,100\""), "289100");
	CHECK_STR(num("\"1234.00\""), "1234");
	CHECK_STR(num("\" 42 \""), "42");
	CHECK_STR(num("\"na\""), "null");
	CHECK_STR(num("\"\""), "null");
	CHECK_STR(num("\"12a\""), "null");
	CHECK_STR(num("\"1234.50\""), "null");
	CHECK_STR(num("null"), "null");
	CHECK_STR(num("true"), "null");
	CHECK_STR(num("12.0"), "12");
	CHECK_STR(num("\"99999999999999999999999\""), "null");
	CHECK_STR(phx_maricopa_property_type("RESIDENTIAL"), "residential");
	CHECK_STR(phx_maricopa_property_type("VACANT LAND COMMERCIAL "), "vacant_land");
	CHECK_STR(phx_maricopa_property_type(" COMMERCIAL"), "commercial");
	CHECK_STR(phx_maricopa_property_type("WAREHOUSE"), "industrial");
	CHECK_STR(phx_maricopa_property_type("AGRICULTURAL"), "agricultural");
	CHECK_STR(phx_maricopa_property_type("SOMETHING NEW"), "other");
	CHECK_STR(phx_maricopa_property_type(NULL), "other");
}

static void records(void)
{
	char why[256];
	json_t *item = load(search_item), *det = load(details);
	json_t *rec = phx_maricopa_record(item, NULL, NULL, "2026-11-28T10:00:03Z", why, sizeof why);
	CHECK(rec != NULL);
	CHECK_STR(jstr(rec, "property_id"), "\"apn:10219009F\"");
	CHECK_STR(jstr(rec, "apn"), "\"10219009F\"");
	CHECK_STR(jstr(rec, "address_key"), "\"85033|7606|w indian school rd|1\"");
	CHECK_STR(jstr(rec, "address.street"), "\"7606 W INDIAN SCHOOL RD\"");
	CHECK_STR(jstr(rec, "address.unit"), "\"1\"");
	CHECK_STR(jstr(rec, "address.zip"), "\"85033\"");
	CHECK_STR(jstr(rec, "property_type"), "\"vacant_land\"");
	CHECK_STR(jstr(rec, "parcel.mcr"), "null");
	CHECK_STR(jstr(rec, "parcel.owner.name"), "\"EXAMPLE  INVESTMENT GROUP LLC\"");
	CHECK_STR(jstr(rec, "features.year_built"), "null");
	CHECK_STR(jstr(rec, "raw.SubdivisonName"), "\"E 500F OF S 500F OF SE4\"");
	CHECK_STR(jstr(rec, "raw.Ownership"), "\"EXAMPLE  INVESTMENT GROUP LLC \"");
	CHECK_STR(jstr(rec, "source"), "\"maricopa\"");
	json_decref(rec);

	rec = phx_maricopa_record(NULL, det, NULL, "2026-11-28T10:00:03Z", why, sizeof why);
	CHECK(rec != NULL);
	CHECK_STR(jstr(rec, "property_id"), "\"apn:10306005\"");
	CHECK_STR(jstr(rec, "address_key"), "\"85031|4027|n 55th ave|\"");
	CHECK_STR(jstr(rec, "features.square_feet"), "1152");
	CHECK_STR(jstr(rec, "features.year_built"), "1955");
	CHECK_STR(jstr(rec, "features.lot_size_sqft"), "6011");
	CHECK_STR(jstr(rec, "features.pool"), "false");
	CHECK_STR(jstr(rec, "features.garage_spaces"), "null");
	CHECK_STR(jstr(rec, "features.bedrooms"), "null");
	CHECK_STR(jstr(rec, "location.lat"), "33.4612");
	CHECK_STR(jstr(rec, "location.lon"), "-112.1801");
	CHECK_STR(jstr(rec, "parcel.valuations.0.tax_year"), "2026");
	CHECK_STR(jstr(rec, "parcel.valuations.0.full_cash_value"), "1234500");
	CHECK_STR(jstr(rec, "parcel.valuations.0.assessed_full_cash_value"), "null");
	CHECK_INT(json_array_size(json_object_get(json_object_get(rec, "parcel"), "valuations")), 1);
	CHECK_STR(jstr(rec, "parcel.sale.price"), "108000");
	CHECK_STR(jstr(rec, "parcel.deed.date"), "\"2012-09-14\"");
	CHECK_STR(jstr(rec, "raw.parcel.Owner.SalePrice"), "\"108,000\"");
	json_decref(rec);

	rec = phx_maricopa_record(item, det, NULL, "2026-11-28T10:00:03Z", why, sizeof why);
	CHECK_STR(jstr(rec, "raw.search.APN"), "\"10219009F\"");
	CHECK_STR(jstr(rec, "raw.parcel.APN"), "\"10306005\"");
	json_decref(rec);

	/* tolerant: wrong types and missing parts are null, never a crash */
	json_t *odd = load("{\"APN\":10306005,\"SitusAddress\":5,\"Geo\":[1],"
			   "\"ResidentialPropertyData\":\"x\",\"Valuations\":{},\"Owner\":7}");
	rec = phx_maricopa_record(NULL, odd, NULL, "2026-11-28T10:00:03Z", why, sizeof why);
	CHECK(rec == NULL);	/* neither an APN string nor an address */
	json_decref(odd);
	odd = load("{\"APN\":\"10306005\",\"Geo\":{\"lat\":\"x\"},\"Valuations\":{},"
		   "\"Owner\":7,\"ResidentialPropertyData\":\"x\"}");
	rec = phx_maricopa_record(NULL, odd, NULL, "2026-11-28T10:00:03Z", why, sizeof why);
	CHECK(rec != NULL);
	CHECK_STR(jstr(rec, "location"), "null");
	CHECK_STR(jstr(rec, "address.zip"), "null");
	CHECK_STR(jstr(rec, "features.square_feet"), "null");
	json_decref(rec);
	json_decref(odd);
	CHECK(phx_maricopa_record(NULL, NULL, NULL, "x", why, sizeof why) == NULL);

	/* a /parcel/<apn> answer without its APN key: the asked APN fills it */
	json_t *noapn = load("{\"MCR\":\"1\"}");
	CHECK(phx_maricopa_record(NULL, noapn, NULL, "x", why, sizeof why) == NULL);
	rec = phx_maricopa_record(NULL, noapn, "102-00-005f", "x", why, sizeof why);
	CHECK(rec != NULL);
	CHECK_STR(jstr(rec, "apn"), "\"10200005F\"");
	CHECK_STR(jstr(rec, "property_id"), "\"apn:10200005F\"");
	CHECK_STR(jstr(rec, "raw"), "{\"parcel\":{\"MCR\":\"1\"}}");
	json_decref(rec);
	json_decref(noapn);
	json_t *both = load("{\"APN\":\"10306005\"}");
	rec = phx_maricopa_record(NULL, both, "102-00-005F", "x", why, sizeof why);
	CHECK_STR(jstr(rec, "apn"), "\"10306005\"");	/* the answer's APN wins */
	json_decref(rec);
	json_decref(both);
	json_t *arr = load("[1]");
	CHECK(phx_maricopa_record(arr, NULL, NULL, "x", why, sizeof why) == NULL);
	json_decref(arr);
	json_decref(item);
	json_decref(det);
}

int main(void)
{
	urls();
	answers();
	values();
	records();
	return unit_done();
}
