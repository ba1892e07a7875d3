/*
 * NAME
 *	arc_int 3h
 * SUMMARY
 *	internals shared by the files of lib/arc (not API)
 */
#ifndef SEALIST_ARC_INT_H
#define SEALIST_ARC_INT_H

#include "arc/arc.h"

/*
 * Append the ARC-Seal hash input (RFC 8617 section 5.1.1) for the AS of
 * instance upto: the relaxed AAR, AMS and AS of instances from..upto
 * (idx[i][kind] are msg field indexes), the last AS without its b= value
 * and final CRLF.  from is 1, or upto for a cv=fail seal (section 5.1.2).
 * 0, or -1 when out refuses.
 */
extern int arc_seal_input(const struct msg *, const long (*idx)[3], int from,
			  int upto, struct buf *out);

#endif
