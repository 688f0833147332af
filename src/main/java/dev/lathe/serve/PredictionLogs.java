package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.server.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The prediction log as its readers see it: where the sampled requests are ({@code lathe_logs.request_response_logging})
 * and how a logged request payload turns back into the instances the endpoint predicted, for both request shapes
 * the endpoints accept (Vertex {@code instances}, objects or arrays; Open Inference Protocol v2 {@code inputs}).
 */
public final class PredictionLogs {
    public static final String DATASET = "lathe_logs";
    public static final String TABLE = "request_response_logging";

    private PredictionLogs() {}

    /**
     * The instances of one logged request payload, as {@link ModelRuntime#predict} takes them. A payload that is
     * not JSON, or holds neither shape, fails with INVALID_DATA saying what was found.
     */
    public static List<Map<String, Object>> instances(String payload, ModelRuntime runtime) {
        JsonNode body;
        try {
            body = Json.parse(payload.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "the request payload is not JSON: " + e.getMessage());
        }
        if (body.has("instances")) {
            return Instances.read(body.get("instances"), runtime);
        }
        if (body.has("inputs")) {
            return Tensors.rows(body.get("inputs"), runtime.inputColumns());
        }
        throw new LatheException(ErrorCode.INVALID_DATA, "the request payload holds neither 'instances' (Vertex :predict) nor 'inputs' "
                + "(Open Inference Protocol v2)");
    }
}
