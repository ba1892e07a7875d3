/*
 * NAME
 *	replay 1
 * SUMMARY
 *	run a fuzz target over its stored corpus, without libFuzzer
 * DESCRIPTION
 *	Linked with one tests/fuzz/fuzz_*.c file, this calls
 *	LLVMFuzzerTestOneInput() once per file in the corpus directory
 *	named at compile time (FUZZ_CORPUS, relative to $top_srcdir) or on
 *	the command line, and reports one TAP line per file.  A crash or a
 *	sanitizer report fails the run, which is the point: every input a
 *	fuzzer ever found stays a regression test in "make check".
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(int argc, char **argv)
{
	char	dir[4096];
	DIR    *dp;
	struct dirent *de;
	char  **names = NULL;
	size_t	count = 0;
	size_t	i;

	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else
		snprintf(dir, sizeof(dir), "%s", tap_srcpath(FUZZ_CORPUS));
	if ((dp = opendir(dir)) == NULL) {
		tap_ok(0, "open corpus %s", dir);
		return tap_done();
	}
	while ((de = readdir(dp)) != NULL) {
		char  **more;

		if (de->d_name[0] == '.')
			continue;
		more = realloc(names, (count + 1) * sizeof(*names));
		if (more == NULL)
			return 1;
		names = more;
		names[count++] = strdup(de->d_name);
	}
	closedir(dp);
	qsort(names, count, sizeof(*names), name_cmp);
	tap_ok(count > 0, "corpus %s has inputs (%zu)", FUZZ_CORPUS, count);
	for (i = 0; i < count; i++) {
		char	path[8192];
		unsigned char *data;
		size_t	len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		data = tap_read_file(path, &len);
		if (tap_ok(data != NULL, "read %s", names[i])) {
			LLVMFuzzerTestOneInput(data, len);
			tap_ok(1, "replayed %s (%zu bytes) without a fault",
			       names[i], len);
		}
		free(data);
		free(names[i]);
	}
	free(names);
	return tap_done();
}
