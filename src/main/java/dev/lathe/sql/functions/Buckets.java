package dev.lathe.sql.functions;

import java.util.List;

/** Bucket labels shared by ML.BUCKETIZE and ML.QUANTILE_BUCKETIZE: bucket i holds [boundary i-1, boundary i). */
final class Buckets {
    private Buckets() {}

    enum Format {
        BUCKET_NAMES,
        BUCKET_RANGES,
        BUCKET_RANGES_JSON;

        static Format read(Arguments arguments, int index) {
            return switch (arguments.choice(index, "output_format", "bucket_names",
                    List.of("bucket_names", "bucket_ranges", "bucket_ranges_json"))) {
                case "bucket_ranges" -> BUCKET_RANGES;
                case "bucket_ranges_json" -> BUCKET_RANGES_JSON;
                default -> BUCKET_NAMES;
            };
        }
    }

    /** The label of {@code value} (DOUBLE) given ascending {@code boundaries} (DOUBLE[]); NULL stays NULL. */
    static String render(String value, String boundaries, Format format) {
        String label = switch (format) {
            case BUCKET_NAMES -> "'bin_' || CAST(lathe_i AS VARCHAR)";
            case BUCKET_RANGES -> "CASE WHEN lathe_i = 1 THEN '(-inf' ELSE '[' || " + number("lathe_v.b[lathe_i - 1]")
                    + " END || ', ' || CASE WHEN lathe_i > len(lathe_v.b) THEN '+inf' ELSE " + number("lathe_v.b[lathe_i]")
                    + " END || ')'";
            case BUCKET_RANGES_JSON -> "'{\"start\": \"' || CASE WHEN lathe_i = 1 THEN '-Infinity' ELSE "
                    + number("lathe_v.b[lathe_i - 1]") + " END || '\", \"end\": \"' || CASE WHEN lathe_i > len(lathe_v.b) "
                    + "THEN 'Infinity' ELSE " + number("lathe_v.b[lathe_i]") + " END || '\"}'";
        };
        return "(list_transform([{'b': " + boundaries + ", 'x': " + value + "}], lambda lathe_v: CASE WHEN lathe_v.x IS NULL "
                + "THEN NULL ELSE (list_transform([1 + len(list_filter(lathe_v.b, lambda lathe_p: lathe_p <= lathe_v.x))], "
                + "lambda lathe_i: " + label + "))[1] END))[1]";
    }

    /** A boundary as BigQuery prints a FLOAT64: whole numbers without a fraction (2, not 2.0). */
    private static String number(String boundary) {
        return "CASE WHEN " + boundary + " = trunc(" + boundary + ") AND abs(" + boundary + ") < 1e15 THEN CAST(CAST("
                + boundary + " AS BIGINT) AS VARCHAR) ELSE CAST(" + boundary + " AS VARCHAR) END";
    }
}
