/* jsonpool.h - a small-object allocator for jansson's values.
 *
 * A stored document is a few hundred small jansson allocations (values,
 * object members, hash buckets, strings), made and freed per record; glibc's
 * malloc spent a fifth of phx-store's CPU on them. The pool keeps freed
 * blocks on one list per 16-byte size class and carves new ones from 64 KiB
 * slabs: a handful of instructions each way. Memory taken stays with the
 * pool for reuse, so peak memory is still set by the largest batch.
 *
 * One thread only (phx-store and phx-fetch parse in their main thread).
 * Not used in sanitizer builds or under valgrind, where the system
 * allocator's checks matter more than speed. */
#ifndef PHX_JSONPOOL_H
#define PHX_JSONPOOL_H

/* Hand jansson the pool; call first thing in main, before any jansson
 * value exists (a value from malloc freed through the pool is a crash).
 * Returns 1 when the pool is in use. Then memory jansson hands out (the
 * text of json_dumps) is the pool's: never free() it; write text with
 * phx_json_write instead. */
int phx_json_pool_enable(void);

/* The same pool for libxml2 (xmlMemSetup), with realloc and strdup: an MLS
 * page parsed is some thousand node, attribute and text allocations, freed
 * with the document. Call first thing in main, before any libxml2 call.
 * bench/mls.sh (10,000 pages; aim 3x lxml's records per CPU second): 1.6x
 * to 2.9x in four runs on glibc's malloc, 3.4x to 4.1x in three runs with
 * both pools. Returns 1 when the pool is in use. */
int phx_xml_pool_enable(void);

/* Free text jansson handed out (json_dumps) through the allocator jansson
 * has now, the pool's or malloc's: free() of pool memory is a crash. */
void phx_json_free(void *text);

#endif
