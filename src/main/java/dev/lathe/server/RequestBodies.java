package dev.lathe.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A request body's {@code Content-Type} checked ({@link #requireJson}) and its {@code Content-Encoding} undone: {@code gzip} (or {@code x-gzip}) and {@code deflate}, as Triton and
 * the other OIP servers take them, and {@code identity}; several are undone in reverse order. The decoded body is held
 * to the same limit as a plain one, so a small body that inflates to gigabytes is refused as it inflates. Any other
 * coding is a 415 naming it, with the accepted ones in {@code Accept-Encoding} (RFC 9110, 15.5.16): the body was read as
 * identity JSON whatever it declared (probe tb F5).
 */
final class RequestBodies {
    /** The codings taken, as an {@code Accept-Encoding} response header lists them. */
    static final String ACCEPTED = "gzip, deflate, identity";

    private RequestBodies() {}

    /** {@code body} decoded from {@code codings} (the header's values, in the order applied); at most {@code limit} bytes. */
    static byte[] decode(List<String> codings, byte[] body, long limit) {
        for (int i = codings.size() - 1; i >= 0; i--) {
            String coding = codings.get(i).strip().toLowerCase(Locale.ROOT);
            body = switch (coding) {
                case "identity", "" -> body;
                case "gzip", "x-gzip" -> inflate(coding, body, limit, false);
                case "deflate" -> inflate(coding, body, limit, true);
                default -> throw new ApiException(415, "INVALID_ARGUMENT", "The request body's Content-Encoding '" + codings.get(i).strip()
                        + "' is not supported; send the body as is (identity), or compressed with gzip or deflate",
                        List.of(new ApiException.FieldViolation("Content-Encoding", "one of " + ACCEPTED)), "UNSUPPORTED_MEDIA_TYPE");
            };
        }
        return body;
    }

    /**
     * Refuses a body whose {@code Content-Type} is not JSON, as every route reads its body as JSON: it was parsed as JSON
     * whatever it declared, XML or form fields included (probe tb F5). No Content-Type is taken, and so is
     * {@code application/x-www-form-urlencoded}, which curl's {@code -d} sends unasked and which the examples of these docs
     * and the Open Inference Protocol servers' (KServe's, Triton's) send with JSON in it.
     */
    static void requireJson(String contentType, boolean binaryTensors) {
        if (contentType == null || contentType.equals("application/json")) {
            return;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))
                || type.equals("application/x-www-form-urlencoded")) {
            return;
        }
        throw new ApiException(415, "INVALID_ARGUMENT", "The request body's Content-Type '" + contentType.strip() + "' is not supported: it is"
                + " read as JSON; send Content-Type: application/json (or an application/*+json type, or none)" + (binaryTensors
                ? ". The Open Inference Protocol's binary tensor data extension (Inference-Header-Content-Length) is not supported: send"
                + " the tensors' data as JSON (binary_data=False in Triton's client)" : ""),
                List.of(new ApiException.FieldViolation("Content-Type", "application/json")), "UNSUPPORTED_MEDIA_TYPE");
    }

    private static byte[] inflate(String coding, byte[] body, long limit, boolean deflate) {
        try {
            return read(coding, deflate ? new InflaterInputStream(new ByteArrayInputStream(body)) : new GZIPInputStream(
                    new ByteArrayInputStream(body)), limit);
        } catch (IOException e) {
            if (deflate) { // RFC 9110's deflate is zlib's format; some clients send the raw stream, as browsers also accept
                try {
                    return read(coding, new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)), limit);
                } catch (IOException raw) {
                    // the zlib failure is the one to tell
                }
            }
            throw new ApiException(400, "INVALID_ARGUMENT", "The request body is not valid " + coding + " data, as its Content-Encoding says"
                    + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); send it compressed as declared,"
                    + " or without the header", List.of(new ApiException.FieldViolation("body", "valid " + coding + " data")), "INVALID_ARGUMENT");
        }
    }

    private static byte[] read(String coding, InputStream in, long limit) throws IOException {
        try (in) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw new ApiException(413, "RESOURCE_EXHAUSTED", "The request body decompresses (Content-Encoding: " + coding + ") to more than "
                        + limit + " bytes; the limit, which applies to the decompressed body, is " + limit
                        + " bytes (ServerConfig.maxRequestBytes, --max-request-bytes)",
                        List.of(new ApiException.FieldViolation("body", "at most " + limit + " bytes once decompressed")), "PAYLOAD_TOO_LARGE");
            }
            return body;
        }
    }
}
