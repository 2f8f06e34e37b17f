# bench/validate.jq - what a jq user would write instead of phx-validate:
# the property schema's required fields, types, ranges, enums and main
# patterns, three of the cross-field rules (year built, living area per
# bedroom, property id), and a weighted completeness score in _phx.quality.
# Valid records go out with the score; invalid ones as {"reject": [...]}.
# Lines are read raw (-R) and parsed with fromjson: plain jq stops at the
# first line that is not JSON, and a validator must go on.
#   jq -cR --argjson year 2026 -f bench/validate.jq records.ndjson

def nullable_int($lo; $hi):
  . == null or ((type == "number") and (. == floor) and . >= $lo and . <= $hi);
def nullable_num($lo; $hi): . == null or ((type == "number") and . >= $lo and . <= $hi);
def nullable_str: . == null or type == "string";
def utc_time: type == "string" and test("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?[Zz]$");
def types: ["single_family", "condo", "townhouse", "manufactured", "multi_family",
  "residential", "vacant_land", "commercial", "industrial", "agricultural", "other", null];
def statuses: ["active", "coming_soon", "pending", "sold", "off_market", "withdrawn",
  "expired", "unknown"];
def weights: [[["address","street"],2], [["address","zip"],3], [["address","city"],1],
  [["apn"],1], [["location"],1], [["property_type"],1], [["features","bedrooms"],2],
  [["features","bathrooms"],2], [["features","square_feet"],3],
  [["features","lot_size_sqft"],1], [["features","year_built"],2],
  [["parcel","valuations"],1]];

def errors:
  [ (["property_id","address_key","address","property_type","features","source",
      "observed_at"][] as $k | select(has($k) | not) | "required:\($k)"),
    (select((.property_id | type) != "string"
            or (.property_id | test("^(apn:[0-9A-Z]+|addr:.+)$") | not)) | "property_id"),
    (select(.apn != null and ((.apn | type) != "string"
            or (.apn | test("^[0-9]{8}[A-Z]?$") | not))) | "apn"),
    (select(has("address_key") and ((.address_key | type) != "string"
            or (.address_key | test("^[^|]*[|][^|]*[|][^|]*[|][^|]*$") | not))) | "address_key"),
    (.address | select(type != "object") | "address"),
    (.address | objects
       | (select((.zip | nullable_str | not) or (.zip != null and (.zip | test("^[0-9]{5}$") | not))) | "zip"),
         (select((.state | nullable_str | not) or (.state != null and (.state | test("^[A-Z]{2}$") | not))) | "state"),
         (select((.street | nullable_str) and (.city | nullable_str) | not) | "street/city")),
    (select(.location != null and ((.location | type) != "object"
            or (.location.lat | nullable_num(-90; 90) | not)
            or (.location.lon | nullable_num(-180; 180) | not))) | "location"),
    (select(.property_type as $t | types | index([$t]) | not) | "property_type"),
    (.features | objects
       | (select(.bedrooms | nullable_int(0; 100) | not) | "bedrooms"),
         (select(.bathrooms | nullable_num(0; 100) | not) | "bathrooms"),
         (select(.square_feet | nullable_int(1; 2000000) | not) | "square_feet"),
         (select(.lot_size_sqft | nullable_int(1; 5000000000) | not) | "lot_size_sqft"),
         (select(.year_built | nullable_int(1700; 2200) | not) | "year_built"),
         (select(.garage_spaces | nullable_int(0; 100) | not) | "garage_spaces"),
         (select(.pool | . == null or type == "boolean" | not) | "pool")),
    (.parcel | objects | .valuations | arrays | .[]
       | select((.tax_year | nullable_int(1900; 2200) | not)
                or (.full_cash_value | nullable_int(0; 100000000000) | not)) | "valuation"),
    (.listing | objects
       | (select((.mls_id | type) != "string") | "mls_id"),
         (select(.status as $s | statuses | index([$s]) | not) | "status"),
         (select(.list_price != null and (.list_price | nullable_int(1; 100000000000) | not))
          | "list_price")),
    (select(.source | type != "string" or (test("^[a-z][a-z0-9_]*$") | not)) | "source"),
    (select(.observed_at | utc_time | not) | "observed_at"),
    # rules
    (select(.features.year_built | type == "number" and . > $year + 1) | "rule.year_built_future"),
    (select(.apn | type == "string") | select(.property_id != "apn:\(.apn)")
       | "rule.property_id_mismatch")
  ];

def warnings:
  [ (.features | objects | select((.bedrooms | type) == "number" and .bedrooms > 0
       and (.square_feet | type) == "number")
     | (.square_feet / .bedrooms) | select(. < 150 or . > 3000)
     | "rule.living_area_per_bedroom") ];

def quality($w):
  . as $r
  | ([weights[] as [$p, $n] | select($r | getpath($p) != null) | $n] | add // 0) as $have
  | ([weights[] | .[1]] | add) as $all
  | ($have / $all) * 0.5 + 0.25 * ([1 - 0.25 * $w, 0] | max) + 0.25;

def check:
  errors as $e
  | if $e == [] then
      warnings as $w
      | ._phx.quality = quality($w | length)
      | ._phx.validation = $w
    else {reject: $e, record: .} end;

select(length > 0)
| . as $line
| (try fromjson catch {"not json": true}) as $r
| if ($r | type) != "object" then {reject: ["not_object"], line: $line}
  elif $r == {"not json": true} then {reject: ["not_json"], line: $line}
  else $r | check end
