/* mls_fields.h - the fields a selector reads (text as on the page) become
 * the record's fields: "Approx Lot Acres" 0.25 -> lot_size_sqft 10890,
 * House Number + Compass + Street Name -> street, HOA rows -> listing.hoa.
 * And the record itself, built from the merged layers. Internal to the MLS
 * extractor. */
#ifndef PHX_MLS_FIELDS_H
#define PHX_MLS_FIELDS_H
#include <jansson.h>

/* The merged (record-level) name a selector field fills, or NULL when it
 * only contributes to one (full_baths to bathrooms...). */
const char *phx_mls_record_field(const char *selector_field);
/* vals (selector field -> text, photos -> array) into cand (record-level
 * names, normalised values). tmpl may be NULL. */
void phx_mls_fields_convert(const json_t *vals, const char *tmpl, json_t *cand);
/* What a template implies when the page says nothing: the classic
 * template prints no Status line for Active listings. */
void phx_mls_defaults(json_t *merged, json_t *layers, const char *tmpl);
/* raw members that are not labels: the price as printed when it is a range. */
void phx_mls_raw_extras(const json_t *vals, json_t *raw);
/* The property record (record.md) of the merged fields; takes raw and
 * prov (the _phx.mls provenance). */
json_t *phx_mls_record(const json_t *merged, json_t *raw, json_t *prov);

#endif
