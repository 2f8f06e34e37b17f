/* cursor.h - what phx-fetch already did, kept in the state directory.
 *
 * A resume cursor per request ("maricopa search 85031"): the page count and
 * the pages whose records were written, so a run killed with kill -9 and
 * started again continues where it stopped, and a completed request is not
 * fetched again (unless refreshed, or older than the cursor's time to live).
 * Files: $STATE/fetch/cursors/<sha256 of the key>.json, replaced atomically.
 *
 * The fetched-APN index: when each parcel's details were last fetched, for
 * --max-age. $STATE/fetch/<name>.idx, one "APN EPOCH" line appended per fetch;
 * the last line of an APN wins. */
#ifndef PHX_CURSOR_H
#define PHX_CURSOR_H
#include <stddef.h>
#include <time.h>

typedef struct phx_cursor {
	char *key;
	char *path;
	char *tmp;		/* staged cursor, renamed by commit */
	long total;		/* results the source reported, -1 unknown */
	long pages;		/* 0 unknown */
	unsigned char *done;	/* bit per page, pages 1..pages */
	long ndone;
	int complete;
	time_t updated;
} phx_cursor;

/* Load the cursor for key (a fresh one when there is none, when it is
 * unreadable, or when it was last updated more than ttl seconds ago).
 * Returns 0, or -1 when the state directory is unusable (logged). */
int phx_cursor_open(phx_cursor *c, const char *key, long long ttl);
/* Set the page count; a different count from the saved one (the data
 * changed between runs) starts the request over. */
void phx_cursor_set_pages(phx_cursor *c, long total, long pages);
int phx_cursor_page_is_done(const phx_cursor *c, long page);
/* Mark a page written and save. 0, or -1 on a write error (logged). */
int phx_cursor_page_done(phx_cursor *c, long page);
/* The same in two steps, so that the page's output can go between them and
 * a kill -9 lands between "written" and "recorded" only for one rename():
 * stage marks the page and writes the new cursor to a temp file; commit
 * renames it into place; abort drops it and unmarks the page. */
int phx_cursor_stage(phx_cursor *c, long page);
int phx_cursor_commit(phx_cursor *c);
void phx_cursor_abort(phx_cursor *c, long page);
/* Mark the request complete and save. */
int phx_cursor_finish(phx_cursor *c);
/* Forget progress (--refresh). */
void phx_cursor_reset(phx_cursor *c);
int phx_cursor_save(phx_cursor *c);
void phx_cursor_close(phx_cursor *c);
/* "1-57,59,61-70" for the done pages (malloc'd); and back. */
char *phx_cursor_ranges(const phx_cursor *c);
int phx_cursor_parse_ranges(phx_cursor *c, const char *s);

typedef struct phx_apn_index phx_apn_index;
/* name: file name under $STATE/fetch ("maricopa-details.idx"). NULL on error. */
phx_apn_index *phx_apn_index_open(const char *name);
/* When apn's details were last fetched; 0 when never. */
time_t phx_apn_index_get(const phx_apn_index *x, const char *apn);
/* Record a fetch (appended to the file at once). 0, or -1 (logged). */
int phx_apn_index_put(phx_apn_index *x, const char *apn, time_t when);
void phx_apn_index_close(phx_apn_index *x);

#endif
