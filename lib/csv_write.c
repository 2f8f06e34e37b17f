/* csv_write.c - see csv_write.h. libcsv does the quoting (csv_write doubles
 * the quotes inside a field); this file only picks the values. */
#include "csv_write.h"
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "jsonpool.h"
#include "output.h"
#include "xalloc.h"

int phx_csv_init(phx_csv *c, const phx_csv_column *cols, size_t n)
{
	size_t i;

	c->cols = cols;
	c->n = n;
	c->ptr = phx_xcalloc(n ? n : 1, sizeof *c->ptr);
	c->row = (phx_buf)PHX_BUF_INIT;
	for (i = 0; i < n; i++) {
		if (phx_jptr_compile(&c->ptr[i], cols[i].pointer) != 0) {
			c->n = i;
			phx_csv_free(c);
			return -1;
		}
	}
	return 0;
}

void phx_csv_free(phx_csv *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		phx_jptr_free(&c->ptr[i]);
	free(c->ptr);
	c->ptr = NULL;
	phx_buf_free(&c->row);
}

/* csv_write tells how long it needs first. */
void phx_csv_field(phx_buf *row, const char *s, size_t n, int first)
{
	size_t need = csv_write(NULL, 0, s, n);

	if (!first)
		phx_buf_addc(row, ',');
	phx_buf_reserve(row, need + 1);
	csv_write(row->data + row->len, need, s, n);
	row->len += need;
	row->data[row->len] = '\0';
}

void phx_csv_value(phx_buf *out, const json_t *v)
{
	char *s;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		phx_buf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		phx_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		phx_buf_printf(out, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE: phx_buf_adds(out, "true"); break;
	case JSON_FALSE: phx_buf_adds(out, "false"); break;
	case JSON_NULL: break;
	default:
		s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		if (s)
			phx_buf_adds(out, s);
		phx_json_free(s);
	}
}

static int end_row(phx_csv *c)
{
	phx_buf_addc(&c->row, '\r');	/* phx_out_line adds the '\n' */
	return phx_out_line(c->row.data, c->row.len);
}

int phx_csv_header(phx_csv *c)
{
	size_t i;

	phx_buf_clear(&c->row);
	for (i = 0; i < c->n; i++)
		phx_csv_field(&c->row, c->cols[i].name, strlen(c->cols[i].name), i == 0);
	return end_row(c);
}

int phx_csv_row(phx_csv *c, const json_t *doc)
{
	phx_buf field = PHX_BUF_INIT;
	size_t i;
	int rc;

	phx_buf_clear(&c->row);
	for (i = 0; i < c->n; i++) {
		phx_buf_clear(&field);
		phx_csv_value(&field, phx_jptr_get(&c->ptr[i], doc));
		phx_csv_field(&c->row, field.data ? field.data : "", field.len, i == 0);
	}
	phx_buf_free(&field);
	rc = end_row(c);
	return rc;
}
