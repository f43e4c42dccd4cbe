/* Scripts/standin.c: one compiled stand-in for Windows' reg, tasklist and wevtutil (which one by
   the name it was run as), replaying a demo client root's recorded answers, one process per
   command as on Windows. Used by Scripts/bench (--live-standins compiled); the tests' stand-ins
   are shell scripts (Tests/CollectKitTests/LiveStandIns.swift).

   STANDIN_REPLAY  the folder to replay: reg/<KEY>.reg (one export per key), tasklist.csv,
                   events/<LOG>.xml
   STANDIN_LOG     when set, each call appends its arguments there (NUL-separated, NUL-ended) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy(const char *from, int to) {
    int in = open(from, O_RDONLY);
    if (in < 0) return -1;
    char buffer[1 << 16];
    ssize_t n;
    while ((n = read(in, buffer, sizeof buffer)) > 0)
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(to, buffer + done, (size_t)(n - done));
            if (w <= 0) { close(in); return -1; }
            done += w;
        }
    close(in);
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
    const char *replay = getenv("STANDIN_REPLAY"), *record = getenv("STANDIN_LOG");
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    char path[4096];
    if (!replay) { fputs("standin: STANDIN_REPLAY is not set\n", stderr); return 2; }
    if (record && *record) {
        FILE *log = fopen(record, "ab");
        if (log) {
            for (int i = 0; i < argc; i++) fwrite(argv[i], 1, strlen(argv[i]) + 1, log);
            fputc(0, log);
            fclose(log);
        }
    }
    if (strcmp(name, "reg") == 0) {
        if (argc < 4 || strcmp(argv[1], "export") != 0) return 1;
        snprintf(path, sizeof path, "%s/reg/%s.reg", replay, argv[2]);
        if (access(path, R_OK) == 0) {
            int out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int copied = out >= 0 ? copy(path, out) : -1;
            if (out >= 0) close(out);
            if (copied == 0) return 0;
            perror(argv[3]);
            return 2;
        }
        fputs("ERROR: The system was unable to find the specified registry key or value.\n", stderr);
        return 1;
    }
    if (strcmp(name, "tasklist") == 0) {
        snprintf(path, sizeof path, "%s/tasklist.csv", replay);
        return copy(path, 1) == 0 ? 0 : 1;
    }
    if (strcmp(name, "wevtutil") == 0) {
        if (argc < 3 || strcmp(argv[1], "qe") != 0) return 1;
        snprintf(path, sizeof path, "%s/events/%s.xml", replay, argv[2]);
        return copy(path, 1) == 0 ? 0 : 1;
    }
    fprintf(stderr, "standin: run as reg, tasklist or wevtutil, not %s\n", name);
    return 2;
}
