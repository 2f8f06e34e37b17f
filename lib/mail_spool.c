/* mail_spool.c - the mail spool: see mail_spool.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "mail_spool.h"
#include "log.h"
#include "state.h"
#include "timeutil.h"

static int spool_dir(char *out, size_t n)
{
	if (phx_state_path(out, n, "spool/mail/x") != 0)
		return -1;
	out[strlen(out) - 2] = '\0';
	return phx_mkdirs(out, 0700);
}

int phx_mail_spool_add(const char *msg, size_t len)
{
	char dir[4096], path[4200], stamp[PHX_TIME_LEN];
	unsigned r = 0;
	struct timespec ts;

	if (spool_dir(dir, sizeof dir) != 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	phx_time_format(ts.tv_sec, stamp);
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)getpid();
	/* the name sorts by time: the oldest is sent first */
	snprintf(path, sizeof path, "%s/%s-%09ld-%08x.eml", dir, stamp, (long)ts.tv_nsec, r);
	if (phx_write_atomic(path, msg, len, 0600) != 0) {
		phx_err("cannot spool the mail to %s: %s", path, strerror(errno));
		return -1;
	}
	phx_warn("mail spooled as %s; the next run with --mail sends it", path);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_message(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 4 && strcmp(d->d_name + n - 4, ".eml") == 0;
}

int phx_mail_spool_flush(phx_mail_send_fn send, void *arg, unsigned *sent, unsigned *left)
{
	char dir[4096], lock[4096], path[4400];
	struct dirent **list = NULL;
	int rc = 0, n, i;

	*sent = *left = 0;
	if (spool_dir(dir, sizeof dir) != 0 ||
	    phx_state_path(lock, sizeof lock, "spool/mail.lock") != 0)
		return 0;
	int fd = phx_lock(lock);
	if (fd < 0)
		return 0;
	n = scandir(dir, &list, is_message, by_name);
	for (i = 0; i < n; i++) {
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		char *msg = rc ? NULL : phx_read_file(path, &len);
		int r = 1;
		if (msg) {
			r = send(msg, len, arg);
			if (r > 0)
				rc = r;
		} else if (!rc) {
			phx_warn("%s: cannot read: %s", path, strerror(errno));
		}
		if (r == 0 && unlink(path) == 0)
			(*sent)++;
		else
			(*left)++;
		free(msg);
		free(list[i]);
	}
	free(list);
	phx_unlock(fd);
	return rc;
}
