package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.server.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstancesTest {
    private static Optional<Instances.Common> common(String body) {
        return Instances.readCommon(body.getBytes(StandardCharsets.UTF_8));
    }

    /** What the tree path makes of the same body's instances (object instances need no runtime). */
    private static List<Map<String, Object>> viaTree(String body) {
        JsonNode tree = Json.parse(body.getBytes(StandardCharsets.UTF_8));
        return Instances.read(tree.get("instances"), null);
    }

    @Test
    void theCommonShapeIsReadAsTheTreePathReadsIt() {
        for (String body : List.of(
                "{\"instances\": [{\"age\": 39, \"workclass\": \"State-gov\", \"hours\": 40.5, \"ok\": true, \"no\": false, \"gone\": null}]}",
                "{\"instances\": [{\"a\": 1}, {\"a\": -2.5e3, \"B\": \"x\"}], \"parameters\": {\"threshold\": 0.25}}",
                "{\"parameters\": null, \"instances\": [{\"big\": 123456789012345678901234567890, \"long\": 9007199254740993}]}",
                "{\"instances\": [{\"Age\": 1, \"AGE\": 2, \"c\": 3}]}",
                " {\"instances\":[{}]} ")) {
            Optional<Instances.Common> read = common(body);
            assertThat(read).as(body).isPresent();
            List<Map<String, Object>> tree = viaTree(body);
            assertThat(read.get().instances()).as(body).isEqualTo(tree);
            for (int i = 0; i < tree.size(); i++) {
                // same value classes (Long vs Double) and the same iteration order
                assertThat(List.copyOf(read.get().instances().get(i).entrySet())).as(body).isEqualTo(List.copyOf(tree.get(i).entrySet()));
                for (Map.Entry<String, Object> entry : tree.get(i).entrySet()) {
                    Object value = read.get().instances().get(i).get(entry.getKey());
                    assertThat(value == null ? null : value.getClass()).isEqualTo(entry.getValue() == null ? null : entry.getValue().getClass());
                }
            }
        }
        assertThat(common("{\"instances\": [{\"a\": 1}]}").get().threshold()).isEqualTo(0.5);
        assertThat(common("{\"instances\": [{\"a\": 1}], \"parameters\": {\"threshold\": 0.25}}").get().threshold()).isEqualTo(0.25);
        assertThat(common("{\"instances\": [{\"a\": 1}], \"parameters\": {\"threshold\": 1}}").get().threshold()).isEqualTo(1.0);
        assertThat(common("{\"instances\": [{\"a\": 1}], \"parameters\": {\"threshold\": null}}").get().threshold()).isEqualTo(0.5);
        assertThat(common("{\"instances\": [{\"a\": 1}], \"parameters\": {}}").get().threshold()).isEqualTo(0.5);
    }

    @Test
    void everythingElseIsLeftToTheTreePathAndItsErrors() {
        for (String body : List.of(
                "",
                "[]",
                "{\"instances\": [[1, 2]]}",
                "{\"instances\": []}",
                "{\"instances\": {\"a\": 1}}",
                "{\"instances\": [{\"a\": {\"b\": 1}}]}",
                "{\"instances\": [{\"a\": [1]}]}",
                "{\"instances\": [{\"a\": 1, \"a\": 2}]}",
                "{\"instances\": [{\"a\": 1}], \"instances\": [{\"a\": 2}]}",
                "{\"instances\": [{\"a\": 1}], \"labels\": {\"x\": \"y\"}}",
                "{\"instances\": [{\"a\": 1}], \"unknown\": 1}",
                "{\"instances\": [{\"a\": 1}], \"parameters\": {\"threshold\": 2}}",
                "{\"instances\": [{\"a\": 1}], \"parameters\": {\"threshold\": \"0.5\"}}",
                "{\"instances\": [{\"a\": 1}], \"parameters\": {\"other\": 1}}",
                "{\"instances\": [{\"a\": 1}], \"parameters\": 3}",
                "{\"instances\": [{\"a\": 1}]} {}",
                "{\"instances\": [{\"a\": 1}]",
                "{\"instances\": [{\"a\": NaN}]}",
                "{\"parameters\": {\"threshold\": 0.5}}")) {
            assertThat(common(body)).as(body).isEmpty();
        }
    }
}
