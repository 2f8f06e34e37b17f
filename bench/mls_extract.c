/* mls_extract.c - bench/mls.sh's driver: MLS detail pages from files to
 * records, through the library's extractor (no network, no tool around it).
 *
 *   mls_extract [-s SELECTORS] [-c] LIST    LIST lines: "FILE URL"
 *
 * One record a line on stdout; a page that is refused prints
 * {"reject":CODE,"reason":...} instead. -c prints the --check-selectors
 * report of each page instead of its record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "buf.h"
#include "jsonpool.h"
#include "xmlpool.h"
#include "jsonwrite.h"
#include "mls_detail.h"
#include "state.h"

static void one_page(const phx_mls_selectors *s, const char *file, const char *url, int check)
{
	size_t len = 0;
	char *html = phx_read_file(file, &len);
	if (!html) {
		fprintf(stderr, "mls_extract: %s: cannot read\n", file);
		return;
	}
	json_t *out = NULL;
	if (check) {
		out = phx_mls_selectors_report(s, html, len, url);
	} else {
		const char *code = NULL;
		char reason[512];
		if (phx_mls_extract_detail(s, html, len, url, &out, &code, reason,
					   sizeof reason) != 0)
			out = json_pack("{s:s, s:s, s:s}", "reject", code, "reason", reason,
					"url", url);
	}
	phx_buf line = PHX_BUF_INIT;	/* the writer phx's tools print records with */
	phx_json_write(&line, out);
	phx_buf_addc(&line, '\n');
	fwrite(line.data, 1, line.len, stdout);
	phx_buf_free(&line);
	json_decref(out);
	free(html);
}

int main(int argc, char **argv)
{
	phx_json_pool_enable();	/* as phx-fetch does */
	phx_xml_pool_enable();
	const char *sel = NULL;
	int check = 0, opt;
	while ((opt = getopt(argc, argv, "s:c")) != -1) {
		if (opt == 's')
			sel = optarg;
		else if (opt == 'c')
			check = 1;
		else
			return 64;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: mls_extract [-s SELECTORS] [-c] LIST\n");
		return 64;
	}
	char err[512];
	phx_mls_selectors *s = phx_mls_selectors_load(sel, err, sizeof err);
	if (!s) {
		fprintf(stderr, "mls_extract: %s\n", err);
		return 78;
	}
	FILE *list = fopen(argv[optind], "r");
	if (!list) {
		perror(argv[optind]);
		phx_mls_selectors_free(s);
		return 66;
	}
	char line[8192];
	while (fgets(line, sizeof line, list)) {
		line[strcspn(line, "\n")] = '\0';
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		one_page(s, line, sp + 1, check);
	}
	fclose(list);
	phx_mls_selectors_free(s);
	return 0;
}
