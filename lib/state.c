/* state.c - the state directory, journals, atomic replacement, locks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "state.h"
#include "log.h"
#include "xalloc.h"

static char state_dir[PATH_MAX];

int phx_mkdirs(const char *dir, int mode)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, (mode_t)mode) != 0 && errno != EEXIST)
			return -1;
		path[i] = c;
	}
	return 0;
}

const char *phx_state_dir(void)
{
	if (state_dir[0])
		return state_dir;
	const char *env = getenv("PHX_STATE_DIR");
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (env && *env)
		n = snprintf(state_dir, sizeof state_dir, "%s", env);
	else if (xdg && *xdg)
		n = snprintf(state_dir, sizeof state_dir, "%s/phx", xdg);
	else if (home && *home)
		n = snprintf(state_dir, sizeof state_dir, "%s/.local/state/phx", home);
	else {
		phx_err("no state directory: set PHX_STATE_DIR or HOME");
		return NULL;
	}
	if (n < 0 || (size_t)n >= sizeof state_dir) {
		state_dir[0] = '\0';
		phx_err("state directory path too long");
		return NULL;
	}
	if (phx_mkdirs(state_dir, 0700) != 0) {
		phx_err("%s: cannot create state directory: %s", state_dir, strerror(errno));
		state_dir[0] = '\0';
		return NULL;
	}
	return state_dir;
}

/* Directories this process already made sure of: journals are appended on
 * every request, and mkdir on each component each time costs syscalls. */
#define KNOWN_DIRS 16
static char *known_dirs[KNOWN_DIRS];
static int nknown;

static int ensure_dir(const char *dir)
{
	for (int i = 0; i < nknown; i++)
		if (strcmp(known_dirs[i], dir) == 0)
			return 0;
	if (phx_mkdirs(dir, 0700) != 0)
		return -1;
	if (nknown < KNOWN_DIRS)
		known_dirs[nknown++] = phx_xstrdup(dir);
	return 0;
}

int phx_state_path(char *out, size_t n, const char *rel)
{
	const char *dir = phx_state_dir();
	if (!dir)
		return -1;
	int len = snprintf(out, n, "%s/%s", dir, rel);
	if (len < 0 || (size_t)len >= n) {
		phx_err("%s/%s: path too long", dir, rel);
		return -1;
	}
	char *slash = strrchr(out, '/');
	if (slash && slash != out) {
		*slash = '\0';
		int rc = ensure_dir(out);
		*slash = '/';
		if (rc != 0) {
			phx_err("%s: %s", out, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int phx_append_line(const char *path, const char *line, size_t len, int mode)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, (mode_t)mode);
	if (fd < 0)
		return -1;
	int rc;
	if (len > 0 && line[len - 1] == '\n') {
		rc = write_all(fd, line, len);
	} else {
		/* one write of the whole line, newline included */
		char *tmp = phx_xmalloc(len + 1);
		memcpy(tmp, line, len);
		tmp[len] = '\n';
		rc = write_all(fd, tmp, len + 1);
		free(tmp);
	}
	int saved = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1;
	else
		errno = saved;
	return rc;
}

int phx_write_atomic(const char *path, const void *data, size_t len, int mode)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) != 0 || fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

char *phx_read_file(const char *path, size_t *len_out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 4096, len = 0;
	char *p = phx_xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			p = phx_xrealloc(p, cap);
		}
		ssize_t r = read(fd, p + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			free(p);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	p[len] = '\0';
	if (len_out)
		*len_out = len;
	return p;
}

int phx_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	return fd;
}

void phx_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
