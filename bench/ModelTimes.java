import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what a CREATE MODEL run through the launcher ({@code ./lathe sql -e}) recorded in the newest version's
 * manifest: {@code ModelTimes <name> <models/dataset/model dir> <peak RSS KiB of that process, or -1>}. Prints the
 * rounds and the last training loss (as ML.TRAINING_INFO reports them) and a RESULT line: the statement's wall time
 * (the manifest's startTime, CREATE MODEL's first check, to the last write of the model's {@code DEFAULT} pointer, which
 * storing the version ends with; only the registry's row is written after it), the phase timings, the storing time
 * (the manifest's endTime, taken as the manifest is made, to that write) and the process's peak RSS. Until the
 * 2026-12-05 sixth session the wall time ended at the manifest's endTime, which left storing out.
 */
public final class ModelTimes {
    public static void main(String[] args) throws Exception {
        Path newest;
        try (Stream<Path> files = Files.walk(Path.of(args[1]))) {
            newest = files.filter(f -> f.getFileName().toString().equals("manifest.json"))
                    .max(Comparator.comparingInt(f -> Integer.parseInt(f.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no model version under " + args[1]));
        }
        String json = Files.readString(newest);
        Instant stored = Files.getLastModifiedTime(Path.of(args[1]).resolve("DEFAULT")).toInstant();
        long wallMs = Duration.between(Instant.parse(text(json, "startTime")), stored).toMillis();
        long storeMs = Duration.between(Instant.parse(text(json, "endTime")), stored).toMillis();
        StringBuilder fields = new StringBuilder("wall_ms=" + wallMs + " store_ms=" + storeMs);
        for (String key : new String[] {"readMs", "preprocessMs", "trainMs", "evaluateMs"}) {
            fields.append(' ').append(key.replace("Ms", "_ms").toLowerCase(java.util.Locale.ROOT)).append('=').append(number(json, key));
        }
        Matcher losses = Pattern.compile("\"loss\"\\s*:\\s*([-0-9.Ee]+)").matcher(json);
        int rounds = 0;
        String lastLoss = "";
        while (losses.find()) {
            rounds++;
            lastLoss = losses.group(1);
        }
        System.out.println("  ROW rounds=" + rounds + " last_loss=" + lastLoss);
        long peakKb = Long.parseLong(args[2].trim());
        System.out.println("RESULT " + args[0] + " " + fields + " peak_rss_mb=" + (peakKb < 0 ? -1 : peakKb / 1024));
    }

    private static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in the manifest");
        }
        return m.group(1);
    }

    private static String number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
