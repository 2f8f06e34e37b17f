/* store_import.h - `phx-store import`: stored documents (an export) back
 * into the store, replacing what is there. One line per document:
 *   {"property_id":..,"result":"inserted|replaced"} */
#ifndef PHX_STORE_IMPORT_H
#define PHX_STORE_IMPORT_H
#include "store.h"
#include "store_load.h"

/* Returns the exit status (0, 1 with rejects, 69/75 when the database
 * failed; the import can simply be run again). */
int phx_store_import(phx_store *s, char **files, int nfiles, size_t max_line,
		     const phx_load_options *lo);

#endif
