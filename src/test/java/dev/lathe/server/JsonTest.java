package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
}
