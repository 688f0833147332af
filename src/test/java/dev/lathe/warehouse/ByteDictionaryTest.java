package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteDictionaryTest {
    /** Codes follow first appearance; equal bytes (at any offset) share a code; values differing in any byte, or in length only, do not. */
    @Test
    void codesMatchAMapOfTheDecodedValues() {
        Random random = new Random(3);
        List<String> vocabulary = new ArrayList<>(List.of("", "a", "a\0", "Zürich ☃ 東京", " Private", " Private ", "abcdefgh", "abcdefgi",
                "abcdefghabcdefgh", "abcdefghabcdefgi"));
        for (int i = 0; i < 3_000; i++) { // shared prefixes, lengths across the 8-byte steps
            vocabulary.add("prefix-" + "x".repeat(random.nextInt(20)) + i);
        }
        ByteDictionary dictionary = new ByteDictionary();
        Map<String, Integer> expected = new LinkedHashMap<>();
        byte[] buffer = new byte[256];
        for (int n = 0; n < 50_000; n++) {
            String value = vocabulary.get(random.nextInt(vocabulary.size()));
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            int offset = random.nextInt(64);
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            buffer[offset + utf8.length] = (byte) random.nextInt(); // bytes after the slice are not part of it
            int code = dictionary.code(buffer, offset, utf8.length);
            assertThat(code).as(value).isEqualTo(expected.computeIfAbsent(value, v -> expected.size()));
        }
        assertThat(dictionary.values()).containsExactlyElementsOf(expected.keySet());
    }

    /** Values at the very end of an array (no room for a full 16-byte load) code as the same values elsewhere. */
    @Test
    void valuesEndingTheArrayShareTheirCodes() {
        ByteDictionary dictionary = new ByteDictionary();
        List<String> values = List.of("", "a", "LAS", "abcdefg", "abcdefgh", "United-States", "abcdefghijklmno", "abcdefghijklmnop");
        for (String value : values) {
            byte[] padded = (value + "#".repeat(20)).getBytes(StandardCharsets.UTF_8);
            dictionary.code(padded, 0, value.length());
        }
        for (String value : values) {
            byte[] exact = value.getBytes(StandardCharsets.UTF_8);
            byte[] shifted = ("xy" + value).getBytes(StandardCharsets.UTF_8);
            assertThat(dictionary.code(exact, 0, exact.length)).as(value).isEqualTo(values.indexOf(value));
            assertThat(dictionary.code(shifted, 2, exact.length)).as(value).isEqualTo(values.indexOf(value));
        }
        assertThat(dictionary.values()).containsExactlyElementsOf(values);
    }
}
