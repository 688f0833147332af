import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prepares the float arrays the direct XGBoost4J peer trains and predicts on, independently of Lathe's
 * feature code, encoding exactly what Lathe's automatic preprocessing does for tree models:
 * the TIMESTAMP as Unix seconds then day-of-month, day-of-week (1 = Sunday), month, hour, minute,
 * week (Sunday-based, 0..53) and year as plain numbers; strings label-encoded over the training rows'
 * values in Java string order from 1 (unseen and NULL 0); NULL numbers as the training mean. The
 * evaluation rows are the ones Lathe's AUTO_SPLIT flags (same DuckDB hash rule), so both train on the
 * same rows. Not timed: {@code PrepFlights <csv> <out-file>}.
 */
public final class PrepFlights {
    static final int COLS = 11;

    public static void main(String[] args) throws Exception {
        String csv = args[0];
        Path out = Path.of(args[1]);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE f AS SELECT * FROM read_csv(['" + csv.replace("'", "''") + "'], auto_detect = true)");
            long total;
            try (ResultSet r = st.executeQuery("SELECT count(*) FROM f")) {
                r.next();
                total = r.getLong(1);
            }
            // Lathe's AUTO_SPLIT above 50,000 rows: 10,000 evaluation rows, as a fraction of 1e6 hash buckets.
            double fraction = total <= 50_000 ? 0.2 : 10_000.0 / total;
            long cut = Math.round(fraction * 1_000_000L);
            String flag = "CASE WHEN hash(\"date\", \"delay\", \"distance\", \"origin\", \"destination\") % 1000000 < " + cut
                    + " THEN 1 ELSE 0 END";
            int n = Math.toIntExact(total);
            long[] micros = new long[n];
            double[] delay = new double[n];
            double[] distance = new double[n];
            String[] origin = new String[n];
            String[] destination = new String[n];
            boolean[] eval = new boolean[n];
            try (ResultSet r = st.executeQuery("SELECT epoch_us(\"date\"), delay, distance, origin, destination, " + flag + " FROM f")) {
                int i = 0;
                while (r.next()) {
                    micros[i] = r.getLong(1);
                    delay[i] = r.getDouble(2);
                    distance[i] = r.getDouble(3);
                    if (r.wasNull()) {
                        distance[i] = Double.NaN;
                    }
                    origin[i] = r.getString(4);
                    destination[i] = r.getString(5);
                    eval[i] = r.getInt(6) == 1;
                    i++;
                }
            }
            Map<String, Integer> originCodes = vocabulary(origin, eval);
            Map<String, Integer> destinationCodes = vocabulary(destination, eval);
            double distanceMean = trainMean(distance, eval);
            int trainRows = 0;
            for (boolean e : eval) {
                trainRows += e ? 0 : 1;
            }
            int evalRows = n - trainRows;
            float[] all = new float[n * COLS];
            for (int i = 0; i < n; i++) {
                encodeRow(micros[i], distance[i], distanceMean, origin[i], destination[i], originCodes, destinationCodes, all, i * COLS);
            }
            float[] trainX = new float[trainRows * COLS];
            float[] evalX = new float[evalRows * COLS];
            float[] trainY = new float[trainRows];
            float[] evalY = new float[evalRows];
            int t = 0;
            int e = 0;
            for (int i = 0; i < n; i++) {
                if (eval[i]) {
                    System.arraycopy(all, i * COLS, evalX, e * COLS, COLS);
                    evalY[e++] = (float) delay[i];
                } else {
                    System.arraycopy(all, i * COLS, trainX, t * COLS, COLS);
                    trainY[t++] = (float) delay[i];
                }
            }
            write(out, n, trainRows, evalRows, trainX, trainY, evalX, evalY, all);
            System.out.println("  prepared " + n + " rows: " + trainRows + " training, " + evalRows + " evaluation, " + COLS
                    + " encoded features; " + originCodes.size() + " origins, " + destinationCodes.size() + " destinations");
        }
    }

    private static void encodeRow(long micros, double distance, double distanceMean, String origin, String destination,
            Map<String, Integer> originCodes, Map<String, Integer> destinationCodes, float[] out, int at) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        int dow = time.getDayOfWeek().getValue() % 7 + 1;
        out[at] = (float) Math.floorDiv(micros, 1_000_000L);
        out[at + 1] = time.getDayOfMonth();
        out[at + 2] = dow;
        out[at + 3] = time.getMonthValue();
        out[at + 4] = time.getHour();
        out[at + 5] = time.getMinute();
        out[at + 6] = (time.getDayOfYear() - (dow - 1) + 6) / 7;
        out[at + 7] = time.getYear();
        out[at + 8] = (float) (Double.isNaN(distance) ? distanceMean : distance);
        out[at + 9] = origin == null ? 0 : originCodes.getOrDefault(origin, 0);
        out[at + 10] = destination == null ? 0 : destinationCodes.getOrDefault(destination, 0);
    }

    private static Map<String, Integer> vocabulary(String[] values, boolean[] eval) {
        TreeSet<String> seen = new TreeSet<>();
        for (int i = 0; i < values.length; i++) {
            if (!eval[i] && values[i] != null) {
                seen.add(values[i]);
            }
        }
        Map<String, Integer> codes = new HashMap<>();
        for (String value : seen) {
            codes.put(value, codes.size() + 1);
        }
        return codes;
    }

    private static double trainMean(double[] values, boolean[] eval) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < values.length; i++) {
            if (!eval[i] && !Double.isNaN(values[i])) {
                sum += values[i];
                count++;
            }
        }
        return sum / count;
    }

    private static void write(Path out, int n, int trainRows, int evalRows, float[]... arrays) throws IOException {
        try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(n).putInt(trainRows).putInt(evalRows).putInt(COLS).flip();
            channel.write(header);
            for (float[] array : arrays) {
                ByteBuffer buffer = ByteBuffer.allocate(array.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(array);
                channel.write(buffer);
            }
        }
    }

    /** The prepared arrays, read back by the peer (not timed). */
    record Prepared(int rows, int trainRows, int evalRows, int cols, float[] trainX, float[] trainY, float[] evalX, float[] evalY,
            float[] allX) {
        static Prepared read(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size())).order(ByteOrder.LITTLE_ENDIAN);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // fill
                }
                buffer.flip();
                int n = buffer.getInt();
                int train = buffer.getInt();
                int eval = buffer.getInt();
                int cols = buffer.getInt();
                return new Prepared(n, train, eval, cols, floats(buffer, train * cols), floats(buffer, train), floats(buffer, eval * cols),
                        floats(buffer, eval), floats(buffer, n * cols));
            }
        }

        private static float[] floats(ByteBuffer buffer, int count) {
            float[] values = new float[count];
            buffer.asFloatBuffer().get(values);
            buffer.position(buffer.position() + count * 4);
            return values;
        }
    }
}
