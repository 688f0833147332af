package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.DataType;
import dev.lathe.core.Field;
import dev.lathe.engine.ModelRuntime;
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

    /** Vertex AI's BYTES form (probe H): the tree path decodes it; the common-shape reader leaves it to that path. */
    @Test
    void aB64ObjectIsTheBytesItEncodes() {
        String body = "{\"instances\": [{\"raw\": {\"b64\": \"AP8=\"}}]}";
        assertThat(common(body).map(Instances.Common::instances).orElse(List.of())).allSatisfy(row ->
                assertThat(row.get("raw")).isNotInstanceOf(Map.class));
        assertThat((byte[]) viaTree(body).get(0).get("raw")).containsExactly((byte) 0x00, (byte) 0xFF);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> viaTree("{\"instances\": [{\"raw\": {\"b64\": \"%%%\"}}]}"))
                .hasMessageContaining("instances[0].raw.b64").hasMessageContaining("must be base64");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> viaTree("{\"instances\": [{\"raw\": {\"x\": 1}}]}"))
                .hasMessageContaining("instances[0].raw");
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

    private static final ModelRuntime.RowInput INPUT = new ModelRuntime.RowInput(List.of(Field.of("age", DataType.INT64),
            Field.of("workclass", DataType.STRING), Field.of("hours", DataType.FLOAT64), Field.of("ok", DataType.BOOL)));

    private static Optional<Instances.One> one(String body) {
        return Instances.readOne(body.getBytes(StandardCharsets.UTF_8), INPUT);
    }

    @Test
    void oneInstanceOfTheModelsFieldsIsReadIntoItsSlotsInAnyOrderSkippingOtherFields() {
        Instances.One read = one("{\"instances\": [{\"age\": 39, \"workclass\": \"State-gov\", \"hours\": 40.5, \"ok\": true}]}").orElseThrow();
        assertThat(read.values()).containsExactly(39.0, "State-gov", 40.5, "true");
        assertThat(read.threshold()).isEqualTo(0.5);
        read = one("{\"parameters\": {\"threshold\": 0.25}, \"instances\": [{\"ok\": false, \"label\": \">50K\", \"hours\": null,"
                + " \"id\": 7, \"workclass\": null, \"age\": 123456789012345678901234567890, \"note\": null}]}").orElseThrow();
        assertThat(read.values()).containsExactly(1.2345678901234568E29, null, Double.NaN, "false");
        assertThat(read.threshold()).isEqualTo(0.25);
        // Each slot holds what the map path's conversion makes of the same value.
        for (String body : List.of("{\"instances\": [{\"age\": -2.5e3, \"workclass\": \"\\u00e9t\\u00e9\", \"hours\": 9007199254740993, \"ok\": null}]}")) {
            Map<String, Object> instance = common(body).orElseThrow().instances().get(0);
            Object[] values = one(body).orElseThrow().values();
            for (int slot = 0; slot < values.length; slot++) {
                String name = List.of("age", "workclass", "hours", "ok").get(slot);
                assertThat(values[slot]).as(name).isEqualTo(INPUT.convert(slot, instance.get(name)));
            }
            assertThat(values).containsExactly(-2500.0, "\u00e9t\u00e9", 9.007199254740992E15, null);
        }
    }

    @Test
    void anyOtherBodyIsLeftToTheMapPathAndItsErrors() {
        String fields = "\"age\": 39, \"workclass\": \"State-gov\", \"hours\": 40.5, \"ok\": true";
        for (String body : List.of(
                "{\"instances\": [{" + fields + "}, {" + fields + "}]}",     // two instances
                "{\"instances\": [{\"age\": 39, \"workclass\": \"State-gov\", \"hours\": 40.5}]}", // a field missing
                "{\"instances\": [{\"AGE\": 39, \"workclass\": \"State-gov\", \"hours\": 40.5, \"ok\": true}]}", // in other case
                "{\"instances\": [{" + fields + ", \"age\": 40}]}",         // a field twice
                "{\"instances\": [{" + fields + ", \"x\": 1, \"x\": 2}]}", // another field twice
                "{\"instances\": [{" + fields + ", \"x\": {\"y\": 1}}]}",  // another field not a scalar
                "{\"instances\": [{\"age\": \"39 years\", \"workclass\": \"State-gov\", \"hours\": 40.5, \"ok\": true}]}", // text for a number
                "{\"instances\": [{\"age\": 39, \"workclass\": 1, \"hours\": 40.5, \"ok\": true}]}", // a number for a string
                "{\"instances\": [[39, \"State-gov\", 40.5, true]]}",
                "{\"instances\": [{" + fields + "}], \"parameters\": {\"threshold\": 2}}",
                "{\"instances\": [{" + fields + "}], \"unknown\": 1}",
                "{\"instances\": [{" + fields + "}]} {}",
                "{\"instances\": [{" + fields + "}]")) {
            assertThat(one(body)).as(body).isEmpty();
        }
    }
}
