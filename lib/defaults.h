/* defaults.h - the shipped etc/ files, built into every binary so a tool
 * works wherever it is installed. A user edits a copy and points the tool
 * at it (--schema, --rules, or the config file). */
#ifndef PHX_DEFAULTS_H
#define PHX_DEFAULTS_H

extern const char phx_default_schema[];	/* etc/property.schema.json, NUL-terminated */
extern const char phx_default_rules[];	/* etc/rules.conf, NUL-terminated */
extern const char phx_default_llm_fields[];	/* etc/llm-fields.conf, NUL-terminated */
extern const char phx_default_mls_selectors[];	/* etc/mls-selectors.conf */

#endif
