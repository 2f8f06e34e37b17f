/* output.c - whole lines to stdout; EPIPE ends quietly, other errors are 74. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "output.h"
#include "exitcode.h"
#include "log.h"
#include "buf.h"
#include "jsonwrite.h"

#define OUT_BUF ((size_t)64 << 10)

static enum phx_flush policy = PHX_FLUSH_BUFFERED;
static char buf[OUT_BUF];
static size_t used;
static int closed, failed;
static phx_buf scratch = PHX_BUF_INIT;

void phx_out_init(enum phx_flush p)
{
	policy = p;
}

static int note_error(void)
{
	if (errno == EPIPE) {
		closed = 1;
	} else if (!failed) {
		failed = 1;
		phx_err("standard output: %s", strerror(errno));
	}
	return -1;
}

static int write_iov(struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(1, iov, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return note_error();
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int phx_out_flush(void)
{
	if (used == 0 || closed || failed)
		return closed || failed ? -1 : 0;
	struct iovec iov = { buf, used };
	used = 0;
	return write_iov(&iov, 1);
}

int phx_out_line(const char *s, size_t n)
{
	if (closed || failed)
		return -1;
	if (n + 1 > OUT_BUF - used && phx_out_flush() != 0)
		return -1;
	if (n + 1 > OUT_BUF) {
		/* larger than the buffer: the line and its newline in one writev */
		struct iovec iov[2] = { { (void *)s, n }, { "\n", 1 } };
		return write_iov(iov, 2);
	}
	memcpy(buf + used, s, n);
	buf[used + n] = '\n';
	used += n + 1;
	if (policy == PHX_FLUSH_EACH)
		return phx_out_flush();
	return 0;
}

int phx_out_json(const json_t *j)
{
	phx_buf_clear(&scratch);
	phx_json_write(&scratch, j);
	return phx_out_line(scratch.data ? scratch.data : "", scratch.len);
}

int phx_out_closed(void)
{
	return closed;
}

int phx_out_failed(void)
{
	return failed;
}

int phx_out_finish(void)
{
	phx_out_flush();
	phx_buf_free(&scratch);
	/* what a tool printed through stdio (a check's line) goes out before fd 1 closes */
	if (!closed && !failed && fflush(stdout) != 0)
		note_error();
	if (!closed && !failed && close(1) != 0 && errno != EPIPE)
		note_error();
	return failed ? PHX_EX_IOERR : PHX_EX_OK;
}
