package dev.lathe.imported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The XGBoost version that wrote a model file, from the file's own top-level {@code version} array (JSON or UBJSON) or the
 * legacy binary format's header; empty for a file without one. Loading re-serializes the model under the loading library's
 * version, so this is read from the bytes as given.
 */
public final class XgboostFileVersion {
    private XgboostFileVersion() {}

    /** {@code {major, minor, patch}}, or {@code {major, minor}} where the file does not say the patch; or empty. */
    public static Optional<int[]> of(byte[] file) {
        if (file.length == 0) {
            return Optional.empty();
        }
        if (file[0] == '{' && file.length > 1 && file[1] != 'L' && file[1] != 'i' && file[1] != 'U' && file[1] != 'I' && file[1] != 'l') {
            try {
                JsonNode version = new ObjectMapper().readTree(new String(file, StandardCharsets.UTF_8)).path("version");
                if (version.isArray() && version.size() >= 2) {
                    return Optional.of(new int[] {version.get(0).asInt(), version.get(1).asInt(), version.path(2).asInt(0)});
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
        return file[0] == '{' ? ubjson(file) : legacyBinary(file);
    }

    /**
     * The legacy binary format (XGBoost 1.x): after the magic {@code binf}, LearnerModelParamLegacy's float base_score, uint32
     * num_feature, int32 num_class, contain_extra_attrs, contain_eval_metrics, then uint32 major_version and minor_version,
     * little-endian (probe qb: a 1.x binary:logitraw file went uncorrected, every prediction 0.5 off). No patch number: a
     * 1.7.4 file read as "1.7.0" (probe sa).
     */
    private static Optional<int[]> legacyBinary(byte[] file) {
        if (file.length < 32 || file[0] != 'b' || file[1] != 'i' || file[2] != 'n' || file[3] != 'f') {
            return Optional.empty();
        }
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(file, 0, 32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return Optional.of(new int[] {header.getInt(24), header.getInt(28)});
    }

    /** UBJSON: the key "version" (a length-prefixed name), then an array of integers, typed ({@code [$L#i3}) or not. */
    private static Optional<int[]> ubjson(byte[] file) {
        byte[] key = "version".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at + key.length + 2 < file.length; at++) {
            if (!matches(file, at, key) || at < 1 || (file[at - 1] & 0xff) != key.length) {
                continue;
            }
            int p = at + key.length;
            if (file[p] != '[') {
                continue;
            }
            p++;
            char type = 0;
            int count = -1;
            if (file[p] == '$') {
                type = (char) file[p + 1];
                p += 2;
            }
            if (file[p] == '#') {
                long[] read = integer(file, p + 1, (char) file[p + 1]);
                if (read == null) {
                    return Optional.empty();
                }
                count = (int) read[0];
                p = (int) read[1];
            }
            int[] version = new int[3];
            for (int i = 0; i < 3 && (count < 0 || i < count); i++) {
                char t = type != 0 ? type : (char) file[p];
                if (t == ']') {
                    break;
                }
                long[] read = integer(file, type != 0 ? p - 1 : p, t);
                if (read == null) {
                    return Optional.empty();
                }
                version[i] = (int) read[0];
                p = (int) read[1];
            }
            return Optional.of(version);
        }
        return Optional.empty();
    }

    /** An integer of UBJSON type {@code t} whose marker stands at {@code at} (the value follows it): {value, next offset}. */
    private static long[] integer(byte[] file, int at, char t) {
        int size = switch (t) {
            case 'i', 'U' -> 1;
            case 'I' -> 2;
            case 'l' -> 4;
            case 'L' -> 8;
            default -> -1;
        };
        if (size < 0 || at + 1 + size > file.length) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (file[at + 1 + i] & 0xff);
        }
        if (t == 'i') {
            value = (byte) value;
        } else if (t == 'I') {
            value = (short) value;
        } else if (t == 'l') {
            value = (int) value;
        }
        return new long[] {value, at + 1 + size};
    }

    private static boolean matches(byte[] file, int at, byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (file[at + i] != key[i]) {
                return false;
            }
        }
        return true;
    }
}
