/* jsonpool.c - jansson's values (and libxml2's nodes, through xmlpool.c)
 * from size-class free lists: see jsonpool.h. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "jsonpool.h"

#if defined(__SANITIZE_ADDRESS__)
#define PHX_NO_POOL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define PHX_NO_POOL 1
#endif
#endif

#ifndef PHX_NO_POOL
#define STEP 16			/* size classes are multiples of this */
#define CLASSES 32		/* blocks up to 512 bytes; larger go to malloc */
#define HEADER 16		/* before each block: its class (0 = malloc'd) */
#define SLAB (64 * 1024)

typedef struct free_block {
	struct free_block *next;
} free_block;

static free_block *free_list[CLASSES + 1];
static char *slab_next, *slab_end;
static void *slabs;		/* every slab, chained through its first word */

static void *new_block(size_t cls)
{
	size_t need = HEADER + cls * STEP;
	size_t *h;

	if ((size_t)(slab_end - slab_next) < need) {
		char *s = malloc(SLAB);
		if (!s)
			return NULL;
		memcpy(s, &slabs, sizeof slabs);
		slabs = s;
		slab_next = s + HEADER;	/* the chain word, kept aligned */
		slab_end = s + SLAB;
	}
	h = (size_t *)(void *)slab_next;
	h[0] = cls;
	slab_next += need;
	return (char *)h + HEADER;
}

static void *pool_malloc(size_t n)
{
	size_t cls = n ? (n + STEP - 1) / STEP : 1;
	free_block *b;
	size_t *h;

	if (cls > CLASSES) {
		if (n > (size_t)-1 - HEADER || !(h = malloc(n + HEADER)))
			return NULL;
		h[0] = 0;
		return (char *)h + HEADER;
	}
	b = free_list[cls];
	if (b) {
		free_list[cls] = b->next;
		return b;
	}
	return new_block(cls);
}

static void pool_free(void *p)
{
	size_t cls;
	free_block *b;

	if (!p)
		return;
	memcpy(&cls, (char *)p - HEADER, sizeof cls);
	if (cls == 0) {
		free((char *)p - HEADER);
		return;
	}
	b = p;
	b->next = free_list[cls];
	free_list[cls] = b;
}

/* libxml2 grows its buffers: a block that still fits its class stays */
static void *pool_realloc(void *p, size_t n)
{
	size_t cls;
	void *q;

	if (!p)
		return pool_malloc(n);
	memcpy(&cls, (char *)p - HEADER, sizeof cls);
	if (cls == 0) {
		size_t *h;
		if (n > (size_t)-1 - HEADER || !(h = realloc((char *)p - HEADER, n + HEADER)))
			return NULL;
		return (char *)h + HEADER;
	}
	if (n <= cls * STEP)
		return p;
	if (!(q = pool_malloc(n)))
		return NULL;
	memcpy(q, p, cls * STEP);
	pool_free(p);
	return q;
}

static char *pool_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = pool_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* memcheck's checks matter more than speed under valgrind */
static int under_memcheck(void)
{
	const char *pre = getenv("LD_PRELOAD");
	return pre && strstr(pre, "vgpreload_memcheck");
}

#endif

int phx_pool_get(phx_pool_fns *f)
{
#ifdef PHX_NO_POOL
	(void)f;
	return 0;
#else
	if (under_memcheck())
		return 0;
	f->malloc_fn = pool_malloc;
	f->free_fn = pool_free;
	f->realloc_fn = pool_realloc;
	f->strdup_fn = pool_strdup;
	return 1;
#endif
}

int phx_json_pool_enable(void)
{
	phx_pool_fns f;

	if (!phx_pool_get(&f))
		return 0;
	json_set_alloc_funcs(f.malloc_fn, f.free_fn);
	return 1;
}

void phx_json_free(void *text)
{
	json_malloc_t m;
	json_free_t f;

	json_get_alloc_funcs(&m, &f);
	if (text)
		f(text);
}
