package dev.lathe.evaluate;

import dev.lathe.core.LatheException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ML.CONFUSION_MATRIX counts: rows are actual classes, columns predicted classes, both indexed by the
 * label's position in ascending label order.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /** Counts of (actual, predicted) class-index pairs over {@code classes} classes. */
    public static ConfusionMatrix compute(int[] actual, int[] predicted, int classes) {
        Checks.sameLength("actual", actual.length, "predicted", predicted.length);
        if (classes < 1) {
            throw LatheException.userError("classes is %d; a confusion matrix needs at least 1 class".formatted(classes));
        }
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            Checks.classIndex("actual", i, actual[i], classes);
            Checks.classIndex("predicted", i, predicted[i], classes);
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /** The predicted class of a row from its predictions, {@code predictions[offset ..]}. */
    @FunctionalInterface
    public interface Rule {
        int predictedClass(double[] predictions, int offset);
    }

    /** Counts of (actual, predicted) class-index pairs over {@code rows}: labels are class indexes, {@code rule} predicts. */
    public static ConfusionMatrix compute(ScoredRows rows, int classes, Rule rule) {
        if (classes < 1) {
            throw LatheException.userError("classes is %d; a confusion matrix needs at least 1 class".formatted(classes));
        }
        long[][] counts = new long[classes][classes];
        int width = rows.width();
        rows.forEachChunk((first, labels, predictions, count) -> {
            for (int i = 0; i < count; i++) {
                int actual = (int) labels[i];
                int predicted = rule.predictedClass(predictions, i * width);
                Checks.classIndex("actual", first + i, actual, classes);
                Checks.classIndex("predicted", first + i, predicted, classes);
                counts[actual][predicted]++;
            }
        });
        return new ConfusionMatrix(counts);
    }

    public int classes() {
        return counts.length;
    }

    /** How many rows of actual class {@code actual} were predicted as class {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * Legal, unique column names for the class labels, in the given order. The rule: every character other than
     * ASCII letters, digits and '_' becomes '_' (one for one, so labels that differ in such characters mostly stay
     * apart); a name that then starts with a digit, or is empty, gets a leading '_' (so labels 0 and 1 give
     * {@code _0} and {@code _1}, as in BigQuery ML). Where two names clash (ignoring case), or one is
     * {@code expected_label}, the label that kept its characters (1 as {@code _1}, {@code a_b}) keeps the name and the
     * one whose characters were replaced (-1, {@code a b}) gets the smallest suffix {@code _2}, {@code _3}, ... that makes
     * it unique: a reader takes {@code _1} for label 1 and {@code a_b} for {@code a_b}. So {@code "<=50K"} and
     * {@code ">50K"} give {@code __50K} and {@code _50K}.
     */
    public static List<String> columnNames(List<String> labels) {
        Set<String> taken = new HashSet<>();
        taken.add("expected_label");
        String[] names = new String[labels.size()];
        // labels whose characters all stay claim their names first, in label order; the others then take what is left
        for (boolean kept : new boolean[] {true, false}) {
            for (int i = 0; i < labels.size(); i++) {
                String label = labels.get(i);
                String base = sanitize(label);
                if (keepsCharacters(label, base) != kept) {
                    continue;
                }
                String name = base;
                for (int suffix = 2; taken.contains(name.toLowerCase(Locale.ROOT)); suffix++) {
                    name = base + "_" + suffix;
                }
                taken.add(name.toLowerCase(Locale.ROOT));
                names[i] = name;
            }
        }
        return List.of(names);
    }

    /**
     * Whether sanitizing changed no character of the label (a leading '_' before a digit aside). The empty label keeps
     * nothing: its name is an invented '_', which took {@code _} from the label '_' itself (probe H).
     */
    private static boolean keepsCharacters(String label, String name) {
        return !label.isEmpty() && (name.equals(label) || name.equals("_" + label));
    }

    private static String sanitize(String label) {
        StringBuilder name = new StringBuilder(label.length() + 1);
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            name.append(legal ? c : '_');
        }
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            name.insert(0, '_');
        }
        return name.toString();
    }
}
