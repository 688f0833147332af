import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Result;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.Arrays;

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
                boolean print = run == 0;
                engine.execute(sql, (statement, result) -> {
                    if (result instanceof Result.Rows rows) {
                        ResultSet set = rows.rows();
                        while (set.next()) {
                            if (print) {
                                StringBuilder row = new StringBuilder("  ROW");
                                for (int c = 1; c <= set.getMetaData().getColumnCount(); c++) {
                                    row.append(' ').append(set.getMetaData().getColumnLabel(c)).append('=').append(set.getObject(c));
                                }
                                System.out.println(row);
                            }
                        }
                    }
                });
                wall[run] = Proc.msSince(start);
                cpu[run] = (Proc.cpuNanos() - cpuStart) / 1_000_000;
                System.out.println("  " + name + " run " + (run + 1) + ": " + wall[run] + " ms, CPU " + cpu[run] + " ms");
            }
        }
        long[] warmWall = Arrays.copyOfRange(wall, 1, repeats);
        long[] warmCpu = Arrays.copyOfRange(cpu, 1, repeats);
        Arrays.sort(warmWall);
        Arrays.sort(warmCpu);
        // For CREATE MODEL, the phases of the last statement's version (a warm one).
        String phases = sql.stripLeading().toUpperCase(java.util.Locale.ROOT).startsWith("CREATE") ? LatheSql.phases(Path.of(args[1])) : "";
        Proc.result(name, "first_ms=" + wall[0] + " warm_ms=" + warmWall[(warmWall.length - 1) / 2] + " warm_cpu_ms="
                + warmCpu[(warmCpu.length - 1) / 2] + " wall_ms=" + warmWall[(warmWall.length - 1) / 2] + phases);
    }
}
