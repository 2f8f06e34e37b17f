/* test_stopfile.c - the emergency stop file: its path, the once-a-second
 * look, stickiness, PHX_IGNORE_STOP, and how signals.c reports it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "signals.h"
#include "stopfile.h"
#include "unit.h"

static char dir[256], stop[300];

static time_t coarse_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

static void touch(const char *p)
{
	FILE *f = fopen(p, "w");
	if (f)
		fclose(f);
}

static void test_path(void)
{
	phx_stop_file_reset();
	CHECK_STR(phx_stop_file_path(), stop);
	setenv("PHX_STOP_FILE", "/nonexistent/elsewhere/STOP", 1);
	phx_stop_file_reset();
	CHECK_STR(phx_stop_file_path(), "/nonexistent/elsewhere/STOP");
	CHECK_INT(phx_stop_file_check_now(), 0);
	unsetenv("PHX_STOP_FILE");
	phx_stop_file_reset();
}

/* Within one second a second look is not taken; the next second it is. */
static void test_rate(void)
{
	int same_second = 0, early = -1;
	for (int tries = 0; tries < 5 && !same_second; tries++) {
		unlink(stop);
		phx_stop_file_reset();
		time_t t0 = coarse_now();
		CHECK_INT(phx_stop_file_present(), 0);
		touch(stop);
		early = phx_stop_file_present();
		same_second = coarse_now() == t0;
	}
	CHECK(same_second);
	CHECK_INT(early, 0);
	/* seen within about a second, by polling as a loop would */
	time_t t1 = coarse_now();
	long polls = 0;
	struct timespec ms = { 0, 1000000 };
	while (!phx_stop_file_present() && coarse_now() - t1 < 3) {
		polls++;
		nanosleep(&ms, NULL);
	}
	CHECK_INT(phx_stop_file_present(), 1);
	CHECK(coarse_now() - t1 <= 2);
	printf("# %ld polls before the look\n", polls);
	/* sticky: removing the file does not undo a stop already asked for */
	unlink(stop);
	CHECK_INT(phx_stop_file_present(), 1);
	CHECK_INT(phx_stop_file_check_now(), 1);
}

static void test_signals_view(void)
{
	unlink(stop);
	phx_stop_file_reset();
	CHECK_INT(phx_stop_requested(), 0);
	CHECK_INT(phx_stop_exit_code(), 0);
	CHECK_INT(phx_stop_by_file(), 0);
	touch(stop);
	CHECK_INT(phx_stop_file_check_now(), 1);
	CHECK_INT(phx_stop_requested(), SIGTERM);
	CHECK_INT(phx_stop_exit_code(), 143);
	CHECK_INT(phx_stop_by_file(), 1);
}

static void test_ignore(void)
{
	touch(stop);
	setenv("PHX_IGNORE_STOP", "1", 1);
	phx_stop_file_reset();
	CHECK_INT(phx_stop_file_check_now(), 0);
	CHECK_INT(phx_stop_requested(), 0);
	setenv("PHX_IGNORE_STOP", "0", 1);
	phx_stop_file_reset();
	CHECK_INT(phx_stop_file_check_now(), 1);
	unsetenv("PHX_IGNORE_STOP");
	unlink(stop);
	phx_stop_file_reset();
}

int main(void)
{
	const char *tmp = getenv("T");
	snprintf(dir, sizeof dir, "%s/stopfile-state", tmp && *tmp ? tmp : "/tmp");
	snprintf(stop, sizeof stop, "%s/STOP", dir);
	setenv("PHX_STATE_DIR", dir, 1);
	unsetenv("PHX_STOP_FILE");
	unsetenv("PHX_IGNORE_STOP");
	test_path();
	test_rate();
	test_signals_view();
	test_ignore();
	unlink(stop);
	rmdir(dir);
	return unit_done();
}
