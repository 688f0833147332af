package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of a list flag, each given as a comma-separated list, the flag repeatable. A value that starts with
 * {@code ^DELIM^} is split on DELIM instead, as gcloud's list flags take it ({@code --input-files '^:^a,b.csv:c.csv'}), so
 * that a value may hold a comma: picocli's own split had no way to give one.
 */
final class ListFlag {
    /** gcloud's escape: {@code ^DELIM^} at the start, DELIM one or more characters other than '^'. */
    private static final Pattern DELIMITER = Pattern.compile("\\^([^^]+)\\^(.*)", Pattern.DOTALL);

    private ListFlag() {}

    /** Each of {@code values} split on ',' or on the delimiter it names; an empty item is refused, naming {@code flag}. */
    static List<String> items(String flag, List<String> values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            String delimiter = ",";
            String list = value;
            if (value.startsWith("^")) {
                Matcher escaped = DELIMITER.matcher(value);
                if (!escaped.matches()) {
                    throw LatheException.userError(flag + " '" + value + "' starts with '^' but names no delimiter: a value that starts"
                            + " with ^DELIM^ is split on DELIM instead of ',' (such as '^:^a,b.csv:c.csv')");
                }
                delimiter = escaped.group(1);
                list = escaped.group(2);
            }
            for (String item : list.split(Pattern.quote(delimiter), -1)) {
                if (item.isEmpty()) {
                    throw LatheException.userError(flag + " '" + value + "' has an empty item between its '" + delimiter + "'s; give"
                            + " one name between each two (to keep a '" + delimiter + "' in a name, start the value with ^DELIM^ naming"
                            + " another delimiter, such as '^:^')");
                }
                items.add(item);
            }
        }
        return List.copyOf(items);
    }
}
