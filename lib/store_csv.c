/* store_csv.c - see store_csv.h. Names follow phx-record(5) with the
 * object path joined by '_' where a bare name would be ambiguous. */
#include "store_csv.h"

const phx_csv_column phx_store_csv_columns[] = {
	{ "property_id", "/property_id" },
	{ "apn", "/apn" },
	{ "street", "/address/street" },
	{ "unit", "/address/unit" },
	{ "city", "/address/city" },
	{ "state", "/address/state" },
	{ "zip", "/address/zip" },
	{ "lat", "/location/lat" },
	{ "lon", "/location/lon" },
	{ "property_type", "/property_type" },
	{ "bedrooms", "/features/bedrooms" },
	{ "bathrooms", "/features/bathrooms" },
	{ "square_feet", "/features/square_feet" },
	{ "lot_size_sqft", "/features/lot_size_sqft" },
	{ "year_built", "/features/year_built" },
	{ "garage_spaces", "/features/garage_spaces" },
	{ "pool", "/features/pool" },
	{ "price", "/price" },
	{ "value", "/value" },
	{ "listing_mls_id", "/listing/mls_id" },
	{ "listing_status", "/listing/status" },
	{ "listing_list_price", "/listing/list_price" },
	{ "listing_url", "/listing/url" },
	{ "sale_price", "/parcel/sale/price" },
	{ "sale_date", "/parcel/sale/date" },
	{ "first_seen", "/first_seen" },
	{ "last_seen", "/last_seen" },
	{ "last_changed", "/last_changed" },
};
const size_t phx_store_csv_ncolumns =
	sizeof phx_store_csv_columns / sizeof phx_store_csv_columns[0];
