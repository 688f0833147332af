package dev.lathe.warehouse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dictionary codes for UTF-8 byte slices, in order of first appearance, so that a column of a million cells with a
 * few hundred distinct values creates a few hundred Strings, not a million. Values of up to 15 bytes (most categories:
 * airport codes, "Private", "United-States") are looked up as two packed longs, compared in two instructions; longer
 * ones through an open-addressing table over their bytes.
 */
final class ByteDictionary {
    /** The longest value looked up by its packed form: 15 bytes, and the length in the top byte of the second long. */
    private static final int PACKED_MAX = 15;

    private byte[] pool = new byte[1024];
    private int poolSize;
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    /** code + 1 per slot; 0 is empty. */
    private int[] slots = new int[128];
    private int longValues;
    /** Packed values of up to {@link #PACKED_MAX} bytes: the low and high longs, and code + 1 per slot (0 is empty). */
    private long[] packedLow = new long[128];
    private long[] packedHigh = new long[128];
    private int[] packedCodes = new int[128];
    private int packedValues;
    private final List<String> values = new ArrayList<>();

    /** The code of {@code bytes[offset .. offset + length)}, adding it when new. */
    int code(byte[] bytes, int offset, int length) {
        if (length <= PACKED_MAX) {
            return packedCode(bytes, offset, length);
        }
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

    private int packedCode(byte[] bytes, int offset, int length) {
        long low;
        long high;
        if (offset + 2 * Long.BYTES <= bytes.length) { // two loads, masked to the slice
            low = (long) LONGS.get(bytes, offset);
            high = (long) LONGS.get(bytes, offset + Long.BYTES);
            if (length < Long.BYTES) {
                low &= (1L << (length * 8)) - 1;
                high = 0;
            } else {
                high &= (1L << ((length - Long.BYTES) * 8)) - 1;
            }
        } else { // near the end of the array: byte by byte
            low = 0;
            high = 0;
            for (int i = 0; i < length; i++) {
                long b = (bytes[offset + i] & 0xFFL) << ((i & 7) * 8);
                if (i < Long.BYTES) {
                    low |= b;
                } else {
                    high |= b;
                }
            }
        }
        high |= (long) (length + 1) << 56; // bytes 8..14 fill the low 56 bits; never 0, so 0 marks an empty slot
        int mask = packedCodes.length - 1;
        int slot = mix(low, high) & mask;
        while (true) {
            int entry = packedCodes[slot];
            if (entry == 0) {
                int code = newValue(bytes, offset, length);
                packedLow[slot] = low;
                packedHigh[slot] = high;
                packedCodes[slot] = code + 1;
                if (++packedValues * 2 > packedCodes.length) {
                    rehashPacked();
                }
                return code;
            }
            if (packedLow[slot] == low && packedHigh[slot] == high) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int mix(long low, long high) {
        long h = (low * 0x9E3779B97F4A7C15L) ^ Long.rotateLeft(high * 0xC2B2AE3D27D4EB4FL, 29);
        h ^= h >>> 32;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 29;
        return (int) h;
    }

    private void rehashPacked() {
        int size = packedCodes.length * 2;
        long[] low = new long[size];
        long[] high = new long[size];
        int[] codes = new int[size];
        int mask = size - 1;
        for (int old = 0; old < packedCodes.length; old++) {
            if (packedCodes[old] != 0) {
                int slot = mix(packedLow[old], packedHigh[old]) & mask;
                while (codes[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                low[slot] = packedLow[old];
                high[slot] = packedHigh[old];
                codes[slot] = packedCodes[old];
            }
        }
        packedLow = low;
        packedHigh = high;
        packedCodes = codes;
    }

    /** The distinct values, indexed by code. */
    List<String> values() {
        return values;
    }

    private int add(byte[] bytes, int offset, int length, int hash, int slot) {
        int code = newValue(bytes, offset, length);
        hashes[code] = hash;
        slots[slot] = code + 1;
        if (++longValues * 2 > slots.length) {
            rehash();
        }
        return code;
    }

    /** A new code for the value: its bytes kept in the pool, its String made once. */
    private int newValue(byte[] bytes, int offset, int length) {
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
        poolSize += length;
        values.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        return code;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int code = 0; code < values.size(); code++) {
            if (lengths[code] <= PACKED_MAX) {
                continue; // in the packed table
            }
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
