/* jansson_parse.c - the floor for a jansson-based validator: read NDJSON,
 * json_loadb every line with the flags phx uses, free it, nothing else.
 *
 *   jansson_parse FILE   prints "lines parsed failed" */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: jansson_parse FILE\n");
		return 64;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 66;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lines = 0, parsed = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t err;
		json_t *j = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
		lines++;
		if (j)
			parsed++;
		json_decref(j);
	}
	free(line);
	fclose(f);
	printf("%lu %lu %lu\n", lines, parsed, lines - parsed);
	return 0;
}
