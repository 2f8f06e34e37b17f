/* spool.c - the store's spool file: see spool.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "spool.h"
#include "log.h"
#include "sha256.h"
#include "state.h"
#include "xalloc.h"

struct phx_spool {
	char path[4096];	/* the spool new records go to */
	char replay[4200];	/* the claimed file, when any */
	int lock_fd;		/* held while the claim lasts */
	int fd;			/* append fd, opened at the first record */
	int claimed;
	unsigned long long added;
};

phx_spool *phx_spool_new(const char *display)
{
	phx_spool *sp = phx_xcalloc(1, sizeof *sp);
	char hex[65], rel[64];

	sp->lock_fd = -1;
	sp->fd = -1;
	phx_sha256_hex(display, strlen(display), hex);
	snprintf(rel, sizeof rel, "spool/store-%.16s.ndjson", hex);
	if (phx_state_path(sp->path, sizeof sp->path, rel) != 0) {
		free(sp);
		return NULL;
	}
	snprintf(sp->replay, sizeof sp->replay, "%s.replay", sp->path);
	return sp;
}

const char *phx_spool_path(const phx_spool *sp)
{
	return sp->path;
}

const char *phx_spool_claim(phx_spool *sp)
{
	char lock[4200];

	snprintf(lock, sizeof lock, "%s.lock", sp->path);
	sp->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (sp->lock_fd < 0)
		return NULL;
	if (flock(sp->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		/* Another run is replaying: leave it to that run. */
		close(sp->lock_fd);
		sp->lock_fd = -1;
		return NULL;
	}
	/* A .replay left by a run that crashed is replayed first, and the
	 * spool grown since then is replayed by the run after. */
	if (access(sp->replay, F_OK) != 0 && rename(sp->path, sp->replay) != 0) {
		close(sp->lock_fd);
		sp->lock_fd = -1;
		return NULL;
	}
	sp->claimed = 1;
	return sp->replay;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int phx_spool_add(phx_spool *sp, const char *line, size_t len)
{
	char *tmp;
	int rc;

	if (sp->fd < 0) {
		sp->fd = open(sp->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (sp->fd < 0) {
			phx_err("%s: %s", sp->path, strerror(errno));
			return -1;
		}
	}
	/* One write per whole line: concurrent runs may append too. */
	tmp = phx_xmalloc(len + 1);
	memcpy(tmp, line, len);
	tmp[len] = '\n';
	rc = write_all(sp->fd, tmp, len + 1);
	free(tmp);
	if (rc != 0) {
		phx_err("%s: %s", sp->path, strerror(errno));
		return -1;
	}
	sp->added++;
	return 0;
}

unsigned long long phx_spool_added(const phx_spool *sp)
{
	return sp->added;
}

static void release(phx_spool *sp)
{
	if (sp->lock_fd >= 0)
		close(sp->lock_fd);
	sp->lock_fd = -1;
	sp->claimed = 0;
}

void phx_spool_done(phx_spool *sp)
{
	if (sp->claimed && unlink(sp->replay) != 0 && errno != ENOENT)
		phx_warn("%s: %s", sp->replay, strerror(errno));
	release(sp);
}

void phx_spool_free(phx_spool *sp)
{
	if (!sp)
		return;
	if (sp->fd >= 0 && fsync(sp->fd) != 0)
		phx_warn("%s: %s", sp->path, strerror(errno));
	if (sp->fd >= 0)
		close(sp->fd);
	release(sp);
	free(sp);
}
