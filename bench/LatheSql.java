import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Result;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;

/**
 * Runs SQL through Lathe's engine the way a user does ({@code lathe sql -e}), in this JVM only:
 * {@code LatheSql <name> <data-dir> <timed sql> [<untimed sql printed afterwards>]}.
 * Prints the rows and a RESULT line with the statement's wall time, the process's CPU time during it, and the process's
 * peak RSS.
 */
public final class LatheSql {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        long openStart = System.nanoTime();
        try (Engine engine = Lathe.open(Path.of(args[1]), line -> System.out.println("  lathe: " + line))) {
            long openMs = Proc.msSince(openStart);
            long start = System.nanoTime();
            long cpuStart = Proc.cpuNanos();
            engine.execute(args[2], LatheSql::print);
            long wallMs = Proc.msSince(start);
            long cpuMs = (Proc.cpuNanos() - cpuStart) / 1_000_000;
            if (args.length > 3) {
                engine.execute(args[3], LatheSql::print);
            }
            String phases = args[2].stripLeading().toUpperCase(java.util.Locale.ROOT).startsWith("CREATE") ? phases(Path.of(args[1])) : "";
            Proc.result(name, "wall_ms=" + wallMs + " cpu_ms=" + cpuMs + " open_ms=" + openMs + phases);
        }
    }

    /** The phase timings (readMs, preprocessMs, trainMs, evaluateMs) of the newest model version's manifest. */
    static String phases(Path dataDir) throws java.io.IOException {
        String json = newestManifest(dataDir);
        if (json == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String key : new String[] {"readMs", "preprocessMs", "trainMs", "evaluateMs"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
            if (m.find()) {
                out.append(' ').append(key.replace("Ms", "_ms").toLowerCase(java.util.Locale.ROOT)).append('=').append(m.group(1));
            }
        }
        return out.toString();
    }

    /** The boosting rounds (training iterations) of the newest model version, as ModelTimes counts them. */
    static int rounds(Path dataDir) throws java.io.IOException {
        String json = newestManifest(dataDir);
        java.util.regex.Matcher losses = java.util.regex.Pattern.compile("\"loss\"\\s*:").matcher(json == null ? "" : json);
        int rounds = 0;
        while (losses.find()) {
            rounds++;
        }
        return rounds;
    }

    private static String newestManifest(Path dataDir) throws java.io.IOException {
        Path newest;
        try (var files = java.nio.file.Files.walk(dataDir.resolve("models"))) {
            newest = files.filter(f -> f.getFileName().toString().equals("manifest.json"))
                    .max(java.util.Comparator.comparing(f -> f.toFile().lastModified())).orElse(null);
        }
        return newest == null ? null : java.nio.file.Files.readString(newest);
    }

    static void print(String statement, Result result) throws Exception {
        switch (result) {
            case Result.Message message -> System.out.println("  " + message.text());
            case Result.Rows rows -> {
                ResultSet set = rows.rows();
                ResultSetMetaData meta = set.getMetaData();
                while (set.next()) {
                    StringBuilder line = new StringBuilder("  ROW");
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        line.append(' ').append(meta.getColumnName(c)).append('=').append(set.getString(c));
                    }
                    System.out.println(line);
                }
            }
        }
    }
}
