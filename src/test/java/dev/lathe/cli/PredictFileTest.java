package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `lathe endpoints predict --file` accepts: JSON Lines, or one JSON value laid out however it is. */
class PredictFileTest {
    private static final String A = "{\"island\": \"Dream\", \"bill_length_mm\": 39.5}";
    private static final String B = "{\"island\": \"Biscoe\", \"bill_length_mm\": null}";

    @TempDir
    Path folder;

    @Test
    void jsonLinesGiveOneInstancePerLine() throws Exception {
        ObjectNode body = EndpointsCommand.Predict.request(write(A + "\n\n" + B + "\n"));
        assertThat(body.toString()).isEqualTo("{\"instances\":[" + compact(A) + "," + compact(B) + "]}");
    }

    @Test
    void aRequestBodyAsGcloudTakesItIsSentAsItIs() throws Exception {
        String request = "{\n  \"instances\": [\n    " + A + ",\n    " + B + "\n  ],\n  \"parameters\": {\"confidenceThreshold\": 0.5}\n}\n";
        assertThat(EndpointsCommand.Predict.request(write(request)).toString()).isEqualTo(
                "{\"instances\":[" + compact(A) + "," + compact(B) + "],\"parameters\":{\"confidenceThreshold\":0.5}}");
    }

    @Test
    void anArrayOrOnePrettyPrintedInstanceIsRead() throws Exception {
        assertThat(EndpointsCommand.Predict.request(write("[\n" + A + ",\n" + B + "\n]")).toString())
                .isEqualTo("{\"instances\":[" + compact(A) + "," + compact(B) + "]}");
        assertThat(EndpointsCommand.Predict.request(write("{\n  \"island\": \"Dream\",\n  \"bill_length_mm\": 39.5\n}\n")).toString())
                .isEqualTo("{\"instances\":[" + compact(A) + "]}");
    }

    @Test
    void aLineThatIsNotJsonIsNamedByNumberAndAnEmptyFileIsRefused() throws Exception {
        Path bad = write(A + "\n" + B + "\n{\"island\": Dream}\n");
        assertThatThrownBy(() -> EndpointsCommand.Predict.request(bad)).isInstanceOf(LatheException.class)
                .hasMessageStartingWith(bad + ", line 3, column ").hasMessageContaining("not valid JSON")
                .hasMessageContaining("one JSON instance per line");
        Path empty = write("\n  \n");
        assertThatThrownBy(() -> EndpointsCommand.Predict.request(empty)).hasMessageContaining("holds no instances");
    }

    private Path write(String text) throws Exception {
        return Files.writeString(Files.createTempFile(folder, "instances", ".json"), text);
    }

    private static String compact(String json) {
        return json.replace(": ", ":").replace(", ", ",");
    }
}
