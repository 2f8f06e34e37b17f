/* mail_report.c - the report as a mail: settings (the previous system's
 * SMTP_* names), the message, the spool first, then this report; what
 * cannot be sent is spooled for the next run, never dropped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>
#include "mail.h"
#include "mail_message.h"
#include "mail_smtp.h"
#include "mail_spool.h"
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "report.h"
#include "run.h"
#include "xalloc.h"

#define MAX_RECIPIENTS 64
#define SEND_TRIES 2

struct mailer {
	phx_smtp smtp;
	char *password, *list;
	const char *to[MAX_RECIPIENTS + 1];
	int last;		/* PHX_SMTP_* of the last failure */
};

static const char *setting(const char *env, const char *key, const char *def)
{
	const char *const envs[] = { env, NULL };
	const char *v = phx_setting(NULL, envs, key, def);
	return v && *v ? v : NULL;
}

/* RECIPIENT_EMAILS: "a@x, b@y" */
static int split_recipients(struct mailer *m, const char *list)
{
	size_t n = 0;
	char *save = NULL;

	m->list = phx_xstrdup(list);
	for (char *t = strtok_r(m->list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ' || *t == '\t')
			t++;
		char *end = t + strlen(t);
		while (end > t && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*t)
			continue;
		if (!phx_mail_address_ok(t)) {
			phx_err("RECIPIENT_EMAILS: not one plain address: %s", t);
			return -1;
		}
		if (n == MAX_RECIPIENTS) {
			phx_err("RECIPIENT_EMAILS: more than %d addresses", MAX_RECIPIENTS);
			return -1;
		}
		m->to[n++] = t;
	}
	m->to[n] = NULL;
	if (!n) {
		phx_err("RECIPIENT_EMAILS: no address");
		return -1;
	}
	return 0;
}

static int configure(struct mailer *m, int dry)
{
	int err = 0;
	phx_smtp *s = &m->smtp;
	const char *list = setting("RECIPIENT_EMAILS", "mail.recipients", NULL);

	s->from = setting("SENDER_EMAIL", "mail.sender", NULL);
	if (!s->from || !phx_mail_address_ok(s->from)) {
		phx_err("SENDER_EMAIL: %s", s->from ? "not one plain address" : "not set");
		return PHX_EX_CONFIG;
	}
	if (!list || split_recipients(m, list) != 0) {
		if (!list)
			phx_err("RECIPIENT_EMAILS: not set");
		return PHX_EX_CONFIG;
	}
	s->to = m->to;
	s->host = setting("SMTP_HOST", "mail.host", NULL);
	if (dry)
		return 0;
	if (!s->host || strpbrk(s->host, "/@ \t\r\n")) {
		phx_err("SMTP_HOST: %s", s->host ? "not a host name" : "not set");
		return PHX_EX_CONFIG;
	}
	s->tls = setting("SMTP_TLS", "mail.tls", NULL);
	s->port = setting("SMTP_PORT", "mail.port", NULL);
	if (!s->tls)
		s->tls = s->port && strcmp(s->port, "465") == 0 ? "implicit" : "starttls";
	if (strcmp(s->tls, "starttls") && strcmp(s->tls, "implicit") && strcmp(s->tls, "none")) {
		phx_err("SMTP_TLS: starttls, implicit or none, not %s", s->tls);
		return PHX_EX_CONFIG;
	}
	if (!s->port)
		s->port = strcmp(s->tls, "implicit") == 0 ? "465" : "587";
	long long port;
	if (phx_parse_int("SMTP_PORT", s->port, 1, 65535, &port) != 0)
		return PHX_EX_CONFIG;
	s->username = setting("SMTP_USERNAME", "mail.username", NULL);
	m->password = phx_secret("SMTP_PASSWORD", &err);
	if (err)
		return PHX_EX_CONFIG;
	s->password = m->password;
	if (s->password && !s->username) {
		phx_err("SMTP_PASSWORD is set but SMTP_USERNAME is not");
		return PHX_EX_CONFIG;
	}
	s->ca_file = setting("SMTP_CA_FILE", "mail.ca_file", NULL);
	if (s->ca_file && access(s->ca_file, R_OK) != 0) {
		phx_err("SMTP_CA_FILE: cannot read %s", s->ca_file);
		return PHX_EX_CONFIG;
	}
	s->connect_timeout_ms = 10000;
	s->timeout_ms = 60000;
	return 0;
}

static int count_to(const struct mailer *m)
{
	int n = 0;
	while (m->to[n])
		n++;
	return n;
}

/* One message, retried once after a passing failure. 0 sent; else the
 * PHX_SMTP_* failure, logged. A usage line for phx-cost per mail sent. */
static int send_one(const char *msg, size_t len, void *arg)
{
	struct mailer *m = arg;
	char why[512];
	int rc = PHX_SMTP_TEMP;

	for (int t = 1; t <= SEND_TRIES; t++) {
		rc = phx_smtp_send(&m->smtp, msg, len, why, sizeof why);
		if (rc != PHX_SMTP_TEMP)
			break;
		if (t < SEND_TRIES) {
			phx_info("smtp %s:%s: %s; retrying", m->smtp.host, m->smtp.port, why);
			sleep(1);
		}
	}
	if (rc == PHX_SMTP_OK) {
		json_t *x = json_pack("{s:I, s:i}", "bytes", (json_int_t)len, "recipients",
				      count_to(m));
		phx_usage("smtp", "mail_sent", 1, x);
		json_decref(x);
		phx_info("mail sent to %d recipients through %s:%s", count_to(m), m->smtp.host,
			 m->smtp.port);
		return 0;
	}
	phx_err("smtp %s:%s: %s", m->smtp.host, m->smtp.port, why);
	m->last = rc;
	return rc;
}

/* A spooled message the server refuses stays, and the others go on. */
static int send_spooled(const char *msg, size_t len, void *arg)
{
	int rc = send_one(msg, len, arg);
	return rc == PHX_SMTP_REFUSED ? -1 : rc;
}

static int status_of(int smtp_rc)
{
	switch (smtp_rc) {
	case PHX_SMTP_OK: return PHX_EX_OK;
	case PHX_SMTP_AUTH: return PHX_EX_CONFIG;
	case PHX_SMTP_REFUSED: return PHX_EX_UNAVAILABLE;
	default: return PHX_EX_TEMPFAIL;
	}
}

static void build(const json_t *model, time_t now, const struct mailer *m, phx_buf *msg,
		  int *rc)
{
	phx_buf text = PHX_BUF_INIT, html = PHX_BUF_INIT, subj = PHX_BUF_INIT;
	phx_report_text(model, &text);
	phx_report_html(model, &html);
	phx_report_subject(model, &subj);
	phx_mail_parts p = { m->smtp.from, m->to, subj.data, text.data, html.data, now };
	if (phx_mail_build(&p, msg) != 0) {
		phx_err("the mail's addresses are unusable");
		*rc = PHX_EX_CONFIG;
	}
	phx_buf_free(&text);
	phx_buf_free(&html);
	phx_buf_free(&subj);
}

int phx_mail_report(const json_t *model, time_t now, int dry, int *kept)
{
	struct mailer m;
	phx_buf msg = PHX_BUF_INIT;
	unsigned sent = 0, left = 0;
	int rc;

	memset(&m, 0, sizeof m);
	rc = configure(&m, dry);
	if (rc == 0 && model)
		build(model, now, &m, &msg, &rc);
	if (rc == 0 && dry) {
		if (fwrite(msg.data, 1, msg.len, stdout) != msg.len || fflush(stdout) != 0)
			rc = errno == EPIPE ? PHX_EX_OK : PHX_EX_IOERR;	/* `| head` is fine */
	} else if (rc == 0) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		int failed = phx_mail_spool_flush(send_spooled, &m, &sent, &left);
		if (sent || left)
			phx_info("spool: %u sent, %u left", sent, left);
		if (!failed && model)
			failed = send_one(msg.data, msg.len, &m);
		if (left && m.last)	/* a spooled message refused: still kept */
			rc = status_of(m.last);
		int ok = 1;
		if (failed) {
			rc = status_of(m.last);
			if (model && phx_mail_spool_add(msg.data, msg.len) != 0) {
				rc = PHX_EX_IOERR;
				ok = 0;
			}
		}
		if (kept)
			*kept = ok;
		curl_global_cleanup();
	}
	phx_buf_free(&msg);
	phx_secret_free(m.password);
	free(m.list);
	return rc;
}
