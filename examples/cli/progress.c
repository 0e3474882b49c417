/* progress.c — one-line progress bar on stderr, drawn only when stderr is a terminal (so logs,
 * pipes and JSON consumers never see it). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>
#include "cli.h"

#define BAR_WIDTH 30

static int g_drawn; /* a line is on screen and needs clearing */

void vs_cli_progress(const char *label, int64_t done, int64_t total)
{
    if (!isatty(2)) return;
    if (total <= 0) total = 1;
    if (done < 0) done = 0;
    if (done > total) done = total;
    int fill = (int)((done * BAR_WIDTH) / total);
    int pct = (int)((done * 100) / total);
    char bar[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r%-16.16s [%s] %3d%% (%lld/%lld)", label ? label : "", bar, pct,
            (long long)done, (long long)total);
    fflush(stderr);
    g_drawn = 1;
}

void vs_cli_progress_end(void)
{
    if (!g_drawn) return;
    /* wipe the line so later messages start clean */
    fprintf(stderr, "\r%*s\r", 16 + BAR_WIDTH + 30, "");
    fflush(stderr);
    g_drawn = 0;
}
