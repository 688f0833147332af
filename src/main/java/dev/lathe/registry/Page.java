package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One page of a list call; {@code nextPageToken} is absent on the last page. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    public Page {
        items = List.copyOf(items);
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
