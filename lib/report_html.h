/* report_html.h - HTML pieces of the report: escaping and the inline SVG
 * charts (no script, no external resource: mail clients show them as is). */
#ifndef PHX_REPORT_HTML_H
#define PHX_REPORT_HTML_H
#include <stddef.h>
#include <jansson.h>
#include "buf.h"

/* Append s with & < > " ' as character references and control characters
 * other than tab and newline dropped, for text and attribute values alike. */
void phx_html_escape(phx_buf *o, const char *s);
/* A bar chart of history[i][key] (numbers; null = no bar), one bar a day.
 * money: values are micro-dollars, labelled as dollars. */
void phx_report_svg_bars(phx_buf *o, const char *title, const json_t *history,
			 const char *key, const char *unit, int money);

#endif
