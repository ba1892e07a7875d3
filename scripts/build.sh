#!/bin/sh
# build.sh DIR [configure options] -- configure and build sealist out of
# tree in DIR (relative to the source tree).  Regenerates the build system
# when configure is missing or older than configure.ac.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1; shift
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	autoreconf -fi >/dev/null
fi
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ] || [ "$*" != "$(cat .configured 2>/dev/null)" ]; then
	"$top/configure" -q "$@"
	echo "$*" > .configured
fi
make -s -j"$(nproc)"
