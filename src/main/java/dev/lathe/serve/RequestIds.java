package dev.lathe.serve;

import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of a prediction request, which the server answers in {@value #HEADER} and logs with the request, so that
 * ground truth can name the prediction it labels: the client's {@value #HEADER} when it sends one (1 to 128
 * letters, digits and {@code - _ . : ~ + / = @}), else a random UUID.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:~+/=@-]{1," + MAX_LENGTH + "}");

    private RequestIds() {}

    /** The request's id; 400 naming the header and the rule when the client's is malformed. */
    static String of(ApiRequest request) {
        String given = request.header(HEADER).orElse(null);
        if (given == null) {
            return random();
        }
        if (!VALID.matcher(given).matches()) {
            String shown = given.length() > 40 ? given.substring(0, 40) + "..." : given;
            throw ApiException.badField(HEADER, "a request id has 1 to " + MAX_LENGTH + " characters from letters, digits and - _ . : ~ + / = @;"
                    + " got \"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\" (" + given.length() + " characters)");
        }
        return given;
    }

    /** A version-4 UUID from the thread's generator: unique enough for a log key, and no lock on a shared SecureRandom per request. */
    private static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
