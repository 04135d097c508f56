/* shot_compare.h — comparing a screenshot with its stored reference, with a tolerance, for the
 * kiosk's and the worker's screenshot tests.
 *
 * A pixel differs when a channel differs by more than SHOT_PIXEL_TOLERANCE; an image mismatches
 * when more than SHOT_COUNT_TOLERANCE of its pixels differ (font rasterisers vary a little
 * between machines). On a mismatch NAME_err.png is written next to the output: the new screen
 * greyed out with the differing pixels in red. ITS_UPDATE_REFS=1 writes the outputs as the new
 * references instead (look at them before committing). */
#ifndef ITS_TEST_SHOT_COMPARE_H
#define ITS_TEST_SHOT_COMPARE_H

#define SHOT_PIXEL_TOLERANCE 40
#define SHOT_COUNT_TOLERANCE 0.002 /* 0.2 % of the pixels */

/* Compares OUTDIR/NAME.png with REFDIR/NAME.png: 0 same, 1 differs (NAME_err.png written), -1
 * missing or unreadable. */
int shot_compare(const char *outdir, const char *refdir, const char *name);

#endif
