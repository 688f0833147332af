package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Stored boosters are read from their UBJSON without XGBoost: the same trees as XGBoost's own JSON of them. */
class UbjsonTest {
    @Test
    void pythonsUbjAndJsonOfOneBoosterGiveTheSameTrees() throws Exception {
        assertSameTrees(ParsedTrees.fromUbjson(resource("xgb_regressor.ubj")).orElseThrow(),
                ParsedTrees.fromJson(resource("xgb_regressor.json")).orElseThrow());
    }

    @Test
    void boostersSavedByXgboost4jReadAsTheirJson() throws Exception {
        for (String file : new String[] {"xgb_regressor.json", "xgb_classifier.json"}) {
            Booster booster = XGBoost.loadModel(resource(file));
            assertSameTrees(ParsedTrees.fromUbjson(booster.toByteArray("ubj")).orElseThrow(),
                    ParsedTrees.fromJson(booster.toByteArray("json")).orElseThrow());
            // The whole document, not only the trees: every value XGBoost writes reads back as in its JSON.
            JsonNode json = new ObjectMapper().readTree(booster.toByteArray("json"));
            assertThat(Ubjson.read(booster.toByteArray("ubj")).path("learner").path("learner_model_param"))
                    .isEqualTo(json.path("learner").path("learner_model_param"));
            booster.dispose();
        }
    }

    @Test
    void readsEveryValueTypeAndContainerForm() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte('{');
        key(out, "i8");
        out.writeByte('i');
        out.writeByte(-5);
        key(out, "u8");
        out.writeByte('U');
        out.writeByte(200);
        key(out, "i16");
        out.writeByte('I');
        out.writeShort(-300);
        key(out, "i32");
        out.writeByte('l');
        out.writeInt(70_000);
        key(out, "i64");
        out.writeByte('L');
        out.writeLong(1L << 40);
        key(out, "f32");
        out.writeByte('d');
        out.writeFloat(0.1f);
        key(out, "f64");
        out.writeByte('D');
        out.writeDouble(0.1);
        key(out, "text");
        out.writeByte('S');
        out.writeByte('U');
        byte[] utf8 = "Zürich".getBytes(StandardCharsets.UTF_8);
        out.writeByte(utf8.length);
        out.write(utf8);
        key(out, "flags");
        out.write(new byte[] {'[', 'T', 'N', 'F', 'Z', 'C', 'x', ']'});
        key(out, "typed");
        out.write(new byte[] {'[', '$', 'd', '#', 'U', 2});
        out.writeFloat(1.5f);
        out.writeFloat(-2.25f);
        key(out, "counted");
        out.write(new byte[] {'{', '#', 'i', 1});
        key(out, "k");
        out.write(new byte[] {'U', 7});
        out.writeByte('}');
        out.flush();

        JsonNode read = Ubjson.read(bytes.toByteArray());
        assertThat(read.path("i8").intValue()).isEqualTo(-5);
        assertThat(read.path("u8").intValue()).isEqualTo(200);
        assertThat(read.path("i16").intValue()).isEqualTo(-300);
        assertThat(read.path("i32").intValue()).isEqualTo(70_000);
        assertThat(read.path("i64").longValue()).isEqualTo(1L << 40);
        assertThat(read.path("f32").floatValue()).isEqualTo(0.1f);
        assertThat(read.path("f64").doubleValue()).isEqualTo(0.1);
        assertThat(read.path("text").asText()).isEqualTo("Zürich");
        assertThat(read.path("flags").toString()).isEqualTo("[true,false,null,\"x\"]");
        assertThat(read.path("typed").get(0).floatValue()).isEqualTo(1.5f);
        assertThat(read.path("typed").get(1).floatValue()).isEqualTo(-2.25f);
        assertThat(read.path("counted").path("k").intValue()).isEqualTo(7);
    }

    @Test
    void brokenDocumentsAreAnIncompatibleFormatNamingTheByte() throws Exception {
        byte[] ubj = XGBoost.loadModel(resource("xgb_regressor.json")).toByteArray("ubj");
        assertThatThrownBy(() -> Ubjson.read(Arrays.copyOf(ubj, ubj.length / 2)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT))
                .hasMessageContaining("not valid UBJSON").hasMessageContaining("ends early");
        assertThatThrownBy(() -> Ubjson.read(new byte[] {'{', 'U', 1, 'a', '?'})).hasMessageContaining("at byte 4")
                .hasMessageContaining("unknown type marker '?'");
        assertThatThrownBy(() -> Ubjson.read(new byte[] {'S', 'U', 9, 'a'})).hasMessageContaining("length 9 exceeds");
        assertThatThrownBy(() -> Ubjson.read(new byte[] {'T', 'T'})).hasMessageContaining("after the document");
    }

    private static void key(DataOutputStream out, String key) throws IOException {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        out.writeByte('U');
        out.writeByte(utf8.length);
        out.write(utf8);
    }

    private static void assertSameTrees(ParsedTrees ubj, ParsedTrees json) {
        assertThat(ubj.numFeatures).isEqualTo(json.numFeatures);
        assertThat(ubj.numGroups).isEqualTo(json.numGroups);
        assertThat(ubj.link).isEqualTo(json.link);
        assertThat(ubj.baseMargin).isEqualTo(json.baseMargin);
        assertThat(ubj.roots).isEqualTo(json.roots);
        assertThat(ubj.groups).isEqualTo(json.groups);
        assertThat(ubj.feature).isEqualTo(json.feature);
        assertThat(ubj.threshold).isEqualTo(json.threshold);
        assertThat(ubj.left).isEqualTo(json.left);
        assertThat(ubj.right).isEqualTo(json.right);
        assertThat(ubj.defaultLeft).isEqualTo(json.defaultLeft);
        assertThat(ubj.value).isEqualTo(json.value);
        assertThat(ubj.cover).isEqualTo(json.cover);
        assertThat(ubj.numTrees()).isGreaterThan(1);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = UbjsonTest.class.getResourceAsStream("/imported/" + name)) {
            return in.readAllBytes();
        }
    }
}
