import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every benchmark process reports: peak resident memory, read from the kernel at the end of the run. */
final class Proc {
    private Proc() {}

    /** VmHWM of this process in KiB (the peak resident set size), or -1 where /proc is absent. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** One machine-readable line the runner collects: {@code RESULT <name> key=value ...}. */
    static void result(String name, String fields) {
        System.out.println("RESULT " + name + " " + fields + " peak_rss_mb=" + peakRssKb() / 1024);
    }

    /**
     * CPU time of the whole process in nanoseconds (every thread, JIT and GC included, user and system), which a busy
     * machine inflates less than wall time.
     */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The median of runs 2..n ({@code runs[1..]}): a warm figure, the first run being the cold one; -1 with one run. */
    static long warmMedian(long[] runs) {
        if (runs.length < 2) {
            return -1;
        }
        long[] warm = java.util.Arrays.copyOfRange(runs, 1, runs.length);
        java.util.Arrays.sort(warm);
        return warm[(warm.length - 1) / 2];
    }

    static long msSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
