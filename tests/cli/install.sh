#!/usr/bin/env bash
# make install / make uninstall into a DESTDIR: binaries and man pages land
# where PREFIX says, and uninstall removes exactly them.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
root=$T/root
make -s -C "$PHX_TOP" O="$PHX_BUILD" PREFIX=/opt/phx DESTDIR="$root" install > "$T/log" 2>&1
t_eq "make install succeeds" 0 $?
n_tools=$(find "$PHX_BIN" -maxdepth 1 -name 'phx-*' -type f | wc -l)
t_eq "every tool installed" "$n_tools" "$(find "$root/opt/phx/bin" -name 'phx-*' -type f | wc -l)"
t_check "installed phx-validate runs" "$root/opt/phx/bin/phx-validate" --version
t_check "phx(7) installed" test -f "$root/opt/phx/share/man/man7/phx.7"
t_check "phx-validate(1) installed" test -f "$root/opt/phx/share/man/man1/phx-validate.1"
make -s -C "$PHX_TOP" O="$PHX_BUILD" PREFIX=/opt/phx DESTDIR="$root" uninstall > "$T/log" 2>&1
t_eq "make uninstall succeeds" 0 $?
t_eq "uninstall leaves no file behind" "" "$(find "$root" -type f)"
