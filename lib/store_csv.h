/* store_csv.h - the columns of `phx-store export --format csv`: one row per
 * stored property, the facts a spreadsheet user filters on. */
#ifndef PHX_STORE_CSV_H
#define PHX_STORE_CSV_H
#include <stddef.h>
#include "csv_write.h"

extern const phx_csv_column phx_store_csv_columns[];
extern const size_t phx_store_csv_ncolumns;

#endif
