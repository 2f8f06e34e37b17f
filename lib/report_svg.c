/* report_svg.c - inline SVG bar charts of the report's last days. Every
 * label is escaped; sizes are fixed so the chart looks the same in a mail
 * client and a browser. */
#include <stdio.h>
#include <string.h>
#include "report_html.h"
#include "report.h"

#define W 600
#define H 150
#define TOP 20
#define BOTTOM 20
#define LEFT 4

static void label(char *out, size_t n, double v, const char *unit, int money)
{
	if (money)
		phx_report_micros((long long)v, out, n);
	else if (v == (double)(long long)v)
		snprintf(out, n, "%lld%s", (long long)v, unit);
	else
		snprintf(out, n, "%.1f%s", v, unit);
}

void phx_report_svg_bars(phx_buf *o, const char *title, const json_t *history,
			 const char *key, const char *unit, int money)
{
	size_t n = json_array_size(history), i;
	double max = 0;
	const json_t *e;
	char top[48], last[48];

	json_array_foreach(history, i, e) {
		const json_t *v = json_object_get(e, key);
		if (json_is_number(v) && json_number_value(v) > max)
			max = json_number_value(v);
	}
	label(top, sizeof top, max, unit, money);
	phx_buf_printf(o, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
		       "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		       "aria-label=\"", W, H, W, H);
	phx_html_escape(o, title);
	phx_buf_adds(o, "\"><title>");
	phx_html_escape(o, title);
	phx_buf_printf(o, "</title><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
		       "fill=\"#f7f7f7\"/>", W, H);
	phx_buf_printf(o, "<text x=\"%d\" y=\"14\" font-size=\"11\" fill=\"#555\">max ", LEFT);
	phx_html_escape(o, top);
	phx_buf_adds(o, "</text>");
	double slot = n ? (double)(W - 2 * LEFT) / (double)n : 0;
	json_array_foreach(history, i, e) {
		const json_t *v = json_object_get(e, key);
		if (!json_is_number(v))
			continue;
		double x = json_number_value(v);
		double h = max > 0 ? (H - TOP - BOTTOM) * x / max : 0;
		if (x > 0 && h < 1)
			h = 1;
		label(last, sizeof last, x, unit, money);
		phx_buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			       "fill=\"#3b6ea8\"><title>", LEFT + slot * (double)i + 1,
			       (double)(H - BOTTOM) - h, slot > 3 ? slot - 2 : slot, h);
		phx_html_escape(o, json_string_value(json_object_get(e, "date")));
		phx_buf_adds(o, ": ");
		phx_html_escape(o, last);
		phx_buf_adds(o, "</title></rect>");
	}
	if (n) {
		phx_buf_printf(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">", LEFT,
			       H - 5);
		phx_html_escape(o, json_string_value(json_object_get(json_array_get(history, 0),
								      "date")));
		phx_buf_printf(o, "</text><text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\" "
			       "text-anchor=\"end\">", W - LEFT, H - 5);
		phx_html_escape(o, json_string_value(json_object_get(json_array_get(history,
										     n - 1),
								      "date")));
		phx_buf_adds(o, "</text>");
	}
	phx_buf_adds(o, "</svg><figcaption>");
	phx_html_escape(o, title);
	phx_buf_adds(o, "</figcaption></figure>\n");
}
