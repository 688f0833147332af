package dev.lathe.warehouse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
            if (hashes[code] == hash && lengths[code] == length && same(pool, starts[code], bytes, offset, length)) {
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

    /** Eight bytes at a time (the JIT makes each one load): the values are short, so range-checked Arrays.equals dominated. */
    private static boolean same(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if ((long) LONGS.get(a, aOffset + i) != (long) LONGS.get(b, bOffset + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a[aOffset + i] != b[bOffset + i]) {
                return false;
            }
        }
        return true;
    }

    /** A hash of the bytes, eight at a time; only its quality matters (codes follow first appearance, not the hash). */
    private static int hash(byte[] bytes, int offset, int length) {
        long h = length * 0x9E3779B97F4A7C15L;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, offset + i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (bytes[offset + i] & 0xFFL) << shift;
        }
        h ^= tail * 0xC2B2AE3D27D4EB4FL;
        // Spread the bits: the table is indexed by the low bits only.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
