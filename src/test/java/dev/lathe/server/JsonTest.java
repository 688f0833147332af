package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Row(String name, double value) {}

    /** The direct writer gives data binding's bytes for every shape routes build, and hands the rest to it. */
    @Test
    void bytesEqualDataBinding() throws Exception {
        Map<String, Object> prediction = new LinkedHashMap<>();
        prediction.put("predicted_income", "<=50K");
        prediction.put("predicted_income_probs", List.of(Map.of("label", ">50K", "prob", 0.0024954776745289564),
                Map.of("label", "<=50K", "prob", 0.997504522325471)));
        List<Object> odd = new ArrayList<>(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-300, 3.4028235e38f, 1.5f,
                Long.MIN_VALUE, Integer.MAX_VALUE, true, false, null, "Zürich ☃ 東京 \"quoted\" \u0001", ""));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("predictions", List.of(prediction, prediction));
        body.put("odd", odd);
        body.put("empty", Map.of());
        body.put("nested", List.of(List.of(), List.of(List.of(1, 2L))));
        body.put("null", null);
        body.put("intKeys", new TreeMap<>(Map.of(2, "b", 1, "a"))); // not string keys: data binding's key rules
        body.put("record", new Row("r", 2.5));
        body.put("decimal", new BigDecimal("1.50"));
        body.put("node", Json.parse("{\"a\": [1, 2.5, \"x\"]}".getBytes()));
        body.put("array", new double[] {1, 2});

        for (Object value : List.of(body, prediction, odd, "text", 1.0, List.of())) {
            assertThat(new String(Json.bytes(value))).isEqualTo(new String(Json.MAPPER.writeValueAsBytes(value)));
        }
    }

    private static String parseError(String body) {
        try {
            Json.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (ApiException e) {
            assertThat(e.httpStatus()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError(body + " was parsed");
    }

    /** Probe tb F9: a bare NaN is pointed to the strings that stand for it, not to a Jackson feature to enable. */
    @Test
    void aBareNonFiniteNumberIsToldTheStringsThatStandForIt() {
        for (String token : List.of("NaN", "Infinity", "-Infinity", "+Infinity", "-INF")) {
            assertThat(parseError("{\"instances\": [{\"a\": " + token + ", \"n\": 2}]}")).isEqualTo("The request body is not valid JSON at line 1,"
                    + " column " + (22 + token.length()) + ": a bare " + token + " is not a JSON value; send a number that is not finite as"
                    + " one of the strings \"NaN\", \"Infinity\" or \"-Infinity\"");
        }
        // other advice to enable a parser feature is left out; what is wrong stays
        assertThat(parseError("{\"a\": +1}")).endsWith("in numeric value: JSON spec does not allow numbers to have plus signs")
                .doesNotContain("JsonReadFeature");
        assertThat(parseError("{\"a\": 1 /* c */}")).endsWith("maybe a (non-standard) comment?").doesNotContain("Feature");
    }

    /**
     * Probe tc F7: a Map.of in a response iterates in an order salted per JVM, so a primary, its replicas and each restart
     * wrote its keys in other orders. Both writers write such a map (and a Set.of) sorted; other maps keep their order.
     */
    @Test
    void mapsWhoseOrderChangesWithEachJvmAreWrittenSorted() throws Exception {
        Map<String, Object> unordered = Map.of("version", "1", "name", "lathe", "extensions", List.of(), "a", Set.of("z", "b", "m"));
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("zeta", 1);
        ordered.put("alpha", Map.of("y", 2, "x", 1));
        for (byte[] written : List.of(Json.bytes(unordered), Json.MAPPER.writeValueAsBytes(unordered))) {
            assertThat(new String(written)).isEqualTo("{\"a\":[\"b\",\"m\",\"z\"],\"extensions\":[],\"name\":\"lathe\",\"version\":\"1\"}");
        }
        assertThat(new String(Json.bytes(ordered))).isEqualTo("{\"zeta\":1,\"alpha\":{\"x\":1,\"y\":2}}")
                .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(ordered)));
    }
}
