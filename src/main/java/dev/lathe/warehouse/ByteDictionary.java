package dev.lathe.warehouse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dictionary codes for UTF-8 byte slices, in order of first appearance: an open-addressing hash table
 * over the distinct values' bytes, so that a column of a million cells with a few hundred distinct
 * values creates a few hundred Strings, not a million.
 */
final class ByteDictionary {
    private byte[] pool = new byte[1024];
    private int poolSize;
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    /** code + 1 per slot; 0 is empty. */
    private int[] slots = new int[128];
    private final List<String> values = new ArrayList<>();

    /** The code of {@code bytes[offset .. offset + length)}, adding it when new. */
    int code(byte[] bytes, int offset, int length) {
        int hash = hash(bytes, offset, length);
        int mask = slots.length - 1;
        int slot = hash & mask;
        while (true) {
            int entry = slots[slot];
            if (entry == 0) {
                return add(bytes, offset, length, hash, slot);
            }
            int code = entry - 1;
            if (hashes[code] == hash && lengths[code] == length
                    && Arrays.equals(pool, starts[code], starts[code] + length, bytes, offset, offset + length)) {
                return code;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The distinct values, indexed by code. */
    List<String> values() {
        return values;
    }

    private int add(byte[] bytes, int offset, int length, int hash, int slot) {
        int code = values.size();
        if (code == starts.length) {
            starts = Arrays.copyOf(starts, code * 2);
            lengths = Arrays.copyOf(lengths, code * 2);
            hashes = Arrays.copyOf(hashes, code * 2);
        }
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + length));
        }
        System.arraycopy(bytes, offset, pool, poolSize, length);
        starts[code] = poolSize;
        lengths[code] = length;
        hashes[code] = hash;
        poolSize += length;
        values.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        slots[slot] = code + 1;
        if ((code + 1) * 2 > slots.length) {
            rehash();
        }
        return code;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int code = 0; code < values.size(); code++) {
            int slot = hashes[code] & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = code + 1;
        }
        slots = grown;
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = length;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        // Spread the bits: the table is indexed by the low bits only.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
