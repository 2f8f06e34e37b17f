/* fail_write.c - LD_PRELOAD shim: write(2) and writev(2) to fd 1 fail with
 * ENOSPC, as on a full disk. Every other descriptor writes normally, so the
 * tool can still report the failure on stderr and append its run summary.
 *
 * Used by tests/cli/validate_hostile.sh to prove "disk full => exit 74". */
#include <dlfcn.h>
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);

ssize_t write(int fd, const void *buf, size_t n)
{
	static write_fn real;
	if (fd == 1) {
		errno = ENOSPC;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "write");
	return real(fd, buf, n);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	static writev_fn real;
	if (fd == 1) {
		errno = ENOSPC;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "writev");
	return real(fd, iov, cnt);
}
