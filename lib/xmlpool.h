/* xmlpool.h - libxml2's allocations from phx's small-object pool.
 *
 * An MLS page parsed is some thousand node, attribute and text allocations,
 * freed with the document; glibc's malloc and free took a quarter of the
 * extraction's CPU. bench/mls.sh (10,000 pages; aim 3x lxml's records per
 * CPU second): 1.6x to 2.9x in four runs on glibc's malloc, 3.36x to 5.81x
 * in five runs with this pool and the jansson one (jsonpool.h). */
#ifndef PHX_XMLPOOL_H
#define PHX_XMLPOOL_H

/* Hand libxml2 the pool (xmlMemSetup); call first thing in main, before any
 * libxml2 call. One thread only; off in sanitizer builds and under valgrind.
 * Returns 1 when the pool is in use. */
int phx_xml_pool_enable(void);

#endif
