/* stopfile.c - the emergency stop file, polled cheaply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "stopfile.h"
#include "state.h"

static char stop_path[4096];
static int path_known;		/* 1 = stop_path set, -1 = no state directory */
static int seen;
static time_t last_look;
static int looked;

const char *phx_stop_file_path(void)
{
	if (path_known == 0) {
		const char *env = getenv("PHX_STOP_FILE");
		const char *dir = env && *env ? NULL : phx_state_dir();
		int n = -1;
		if (env && *env)
			n = snprintf(stop_path, sizeof stop_path, "%s", env);
		else if (dir)
			n = snprintf(stop_path, sizeof stop_path, "%s/STOP", dir);
		path_known = n > 0 && (size_t)n < sizeof stop_path ? 1 : -1;
	}
	return path_known == 1 ? stop_path : NULL;
}

static int ignored(void)
{
	const char *v = getenv("PHX_IGNORE_STOP");
	return v && strcmp(v, "1") == 0;
}

int phx_stop_file_check_now(void)
{
	if (seen)
		return 1;
	if (ignored())
		return 0;
	const char *p = phx_stop_file_path();
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	last_look = now.tv_sec;
	looked = 1;
	struct stat st;
	if (p && stat(p, &st) == 0)
		seen = 1;
	return seen;
}

int phx_stop_file_present(void)
{
	if (seen)
		return 1;
	struct timespec now;
	/* the coarse clock is a memory read (vDSO), cheap enough per record */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (looked && now.tv_sec == last_look)
		return 0;
	return phx_stop_file_check_now();
}

void phx_stop_file_reset(void)
{
	seen = looked = 0;
	path_known = 0;
	last_look = 0;
}
