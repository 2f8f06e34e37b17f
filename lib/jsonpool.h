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
#include <stddef.h>

/* Hand jansson the pool; call first thing in main, before any jansson
 * value exists (a value from malloc freed through the pool is a crash).
 * Returns 1 when the pool is in use. Then memory jansson hands out (the
 * text of json_dumps) is the pool's: free it with phx_json_free, never
 * with free(). */
int phx_json_pool_enable(void);

/* The pool's functions, for another library's hooks (xmlpool.c): 1 and *f
 * filled when the pool is in use here, else 0. */
typedef struct phx_pool_fns {
	void *(*malloc_fn)(size_t);
	void (*free_fn)(void *);
	void *(*realloc_fn)(void *, size_t);
	char *(*strdup_fn)(const char *);
} phx_pool_fns;
int phx_pool_get(phx_pool_fns *f);

/* Free text jansson handed out (json_dumps) through the allocator jansson
 * has now, the pool's or malloc's: free() of pool memory is a crash. */
void phx_json_free(void *text);

#endif
