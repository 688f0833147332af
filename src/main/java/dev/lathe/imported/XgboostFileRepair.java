package dev.lathe.imported;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model files of older XGBoost versions that XGBoost4J 2.x cannot load as written, rewritten so that it loads them with the
 * predictions their own version made. XGBoost 1.x writes a {@code reg:gamma} objective as {@code {"name": "reg:gamma"}}
 * alone, and 2.x, whose gamma objective reads the regression loss parameters, refuses it with "Invalid cast, from Null to
 * Object" (probe sa). The parameter block 2.x writes, {@code "reg_loss_param": {"scale_pos_weight": "1"}} (the default; the
 * gamma loss does not use it), makes it load, predicting as XGBoost 1.7 does to the bit. The bytes are mapped one to one
 * onto chars (ISO-8859-1), so nothing else in the file changes.
 */
final class XgboostFileRepair {
    private XgboostFileRepair() {}

    /** JSON: the objective object with the name alone, in any spacing. */
    private static final Pattern JSON_GAMMA = Pattern.compile("\"objective\"\\s*:\\s*\\{\\s*\"name\"\\s*:\\s*\"reg:gamma\"\\s*}");
    private static final String JSON_REPAIRED = "\"objective\":{\"name\":\"reg:gamma\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}}";

    /** UBJSON as XGBoost writes it: keys and strings are lengths ('L', 8 bytes big-endian) and bytes; 'S' marks a string. */
    private static final String UBJ_GAMMA = ubjKey("objective") + "{" + ubjKey("name") + "S" + ubjKey("reg:gamma") + "}";
    private static final String UBJ_REPAIRED = ubjKey("objective") + "{" + ubjKey("name") + "S" + ubjKey("reg:gamma")
            + ubjKey("reg_loss_param") + "{" + ubjKey("scale_pos_weight") + "S" + ubjKey("1") + "}}";

    /**
     * The legacy binary format keeps the objective's configuration as JSON text in its attributes, the pair ("objective",
     * text), each string its length (8 bytes little-endian) and bytes.
     */
    private static final String BINARY_GAMMA = binaryString("objective") + binaryString("{\"name\":\"reg:gamma\"}");
    private static final String BINARY_REPAIRED = binaryString("objective")
            + binaryString("{\"name\":\"reg:gamma\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}}");

    /** {@code model} with a 1.x reg:gamma objective given the parameters 2.x expects; any other file as it is. */
    static byte[] repair(byte[] model) {
        if (!contains(model, "reg:gamma".getBytes(StandardCharsets.US_ASCII))) {
            return model; // not copied as text
        }
        String text = new String(model, StandardCharsets.ISO_8859_1);
        String repaired;
        if (text.contains(BINARY_GAMMA)) {
            repaired = text.replace(BINARY_GAMMA, BINARY_REPAIRED);
        } else if (text.contains(UBJ_GAMMA)) {
            repaired = text.replace(UBJ_GAMMA, UBJ_REPAIRED);
        } else {
            Matcher json = JSON_GAMMA.matcher(text);
            repaired = json.find() ? json.replaceFirst(Matcher.quoteReplacement(JSON_REPAIRED)) : text;
        }
        return repaired.equals(text) ? model : repaired.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String ubjKey(String key) {
        return "L" + new String(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(key.length()).array(),
                StandardCharsets.ISO_8859_1) + key;
    }

    private static String binaryString(String value) {
        return new String(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length()).array(),
                StandardCharsets.ISO_8859_1) + value;
    }
}
