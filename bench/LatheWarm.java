import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Result;
import java.nio.file.Path;
import java.sql.ResultSet;

/**
 * One statement run {@code repeats} times in one JVM, as a server or an open {@code lathe sql} session runs it:
 * {@code LatheWarm <name> <data-dir> <repeats> <sql>}. The first run pays the model load and runs code the JIT has
 * not compiled yet; the later ones find the model cached and the code compiled. Prints a RESULT line with the first
 * run's wall time and the median wall and process CPU time of runs 2..repeats ({@code warm_ms}, also as {@code wall_ms},
 * and {@code warm_cpu_ms}); for CREATE MODEL also the phases of the last statement's version.
 */
public final class LatheWarm {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        int repeats = Integer.parseInt(args[2]);
        String sql = args[3];
        long[] wall = new long[repeats];
        long[] cpu = new long[repeats];
        try (Engine engine = Lathe.open(Path.of(args[1]), line -> {})) {
            for (int run = 0; run < repeats; run++) {
                long start = System.nanoTime();
                long cpuStart = Proc.cpuNanos();
                // The first statement's rows are printed as LatheSql prints them; later ones only drained.
                engine.execute(sql, run == 0 ? LatheSql::print : LatheWarm::drain);
                wall[run] = Proc.msSince(start);
                cpu[run] = (Proc.cpuNanos() - cpuStart) / 1_000_000;
                System.out.println("  " + name + " run " + (run + 1) + ": " + wall[run] + " ms, CPU " + cpu[run] + " ms");
            }
        }
        // For CREATE MODEL, the phases of the last statement's version (a warm one).
        String phases = sql.stripLeading().toUpperCase(java.util.Locale.ROOT).startsWith("CREATE") ? LatheSql.phases(Path.of(args[1])) : "";
        long warm = Proc.warmMedian(wall);
        Proc.result(name, "first_ms=" + wall[0] + " warm_ms=" + warm + " warm_cpu_ms=" + Proc.warmMedian(cpu) + " wall_ms=" + warm + phases);
    }

    private static void drain(String statement, Result result) throws Exception {
        if (result instanceof Result.Rows rows) {
            ResultSet set = rows.rows();
            while (set.next()) {
                // read to the end, as a client would
            }
        }
    }
}
