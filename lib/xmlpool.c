/* xmlpool.c - libxml2's allocations from the pool: see xmlpool.h. */
#include <libxml/xmlmemory.h>
#include "xmlpool.h"
#include "jsonpool.h"

int phx_xml_pool_enable(void)
{
	phx_pool_fns f;

	if (!phx_pool_get(&f))
		return 0;
	return xmlMemSetup(f.free_fn, f.malloc_fn, f.realloc_fn, f.strdup_fn) == 0;
}
