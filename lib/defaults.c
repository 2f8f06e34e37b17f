/* defaults.c - etc/ files embedded with the assembler's .incbin (the
 * compiler runs from the top of the tree; the Makefile lists the files as
 * dependencies of this object). */
#include "defaults.h"

__asm__(".section .rodata\n"
	".global phx_default_schema\n"
	".type phx_default_schema, @object\n"
	"phx_default_schema:\n"
	".incbin \"etc/property.schema.json\"\n"
	".byte 0\n"
	".global phx_default_rules\n"
	".type phx_default_rules, @object\n"
	"phx_default_rules:\n"
	".incbin \"etc/rules.conf\"\n"
	".byte 0\n"
	".global phx_default_llm_fields\n"
	".type phx_default_llm_fields, @object\n"
	"phx_default_llm_fields:\n"
	".incbin \"etc/llm-fields.conf\"\n"
	".byte 0\n"
	".global phx_default_mls_selectors\n"
	".type phx_default_mls_selectors, @object\n"
	"phx_default_mls_selectors:\n"
	".incbin \"etc/mls-selectors.conf\"\n"
	".byte 0\n"
	".previous\n");
