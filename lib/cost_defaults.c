/* cost_defaults.c - etc/prices.conf embedded with .incbin, in a file of its
 * own so the cost code does not edit the shared defaults.c. */
#include "cost_defaults.h"

__asm__(".section .rodata\n"
	".global phx_default_prices\n"
	".type phx_default_prices, @object\n"
	"phx_default_prices:\n"
	".incbin \"etc/prices.conf\"\n"
	".byte 0\n"
	".previous\n");
