package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Locale;
import java.util.Optional;

/**
 * A model as the CLI and the API name it: {@code dataset.model}, {@code dataset.model@3} or
 * {@code dataset.model@champion} (no suffix means the {@code default} alias). The dataset is case-insensitive
 * and kept in lower case, as the artifact store does.
 */
public record ModelReference(String dataset, String name, Optional<String> versionOrAlias) {
    public ModelReference {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(name, "name is null");
        requireNonNull(versionOrAlias, "versionOrAlias is null");
        dataset = dataset.toLowerCase(Locale.ROOT);
    }

    public static ModelReference parse(String text) {
        requireNonNull(text, "text is null");
        String body = text.strip().replace("`", "");
        Optional<String> suffix = Optional.empty();
        int at = body.indexOf('@');
        if (at >= 0) {
            suffix = Optional.of(body.substring(at + 1));
            body = body.substring(0, at);
        }
        String[] parts = body.split("\\.", -1);
        // project.dataset.model: the project names the warehouse and is dropped, as in SQL.
        if (parts.length == 3) {
            parts = new String[] {parts[1], parts[2]};
        }
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || suffix.filter(String::isEmpty).isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Model reference '" + text
                    + "' is not valid; write dataset.model, dataset.model@<version number> or dataset.model@<alias>");
        }
        return new ModelReference(parts[0], parts[1], suffix);
    }

    /** The version number when the suffix is one. */
    public Optional<Integer> versionNumber() {
        return versionOrAlias.filter(ModelReference::numeric).map(Integer::parseInt);
    }

    static boolean numeric(String text) {
        return !text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return dataset + "." + name + versionOrAlias.map(v -> "@" + v).orElse("");
    }
}
