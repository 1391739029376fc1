package io.facestream.job.kafka;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;

/**
 * Walks Avro binary data against a schema without allocating anything, to reject bytes that are not
 * one complete record of that schema before a {@code DatumReader} sees them.
 *
 * <p>Why: a {@code BinaryDecoder} allocates a string or bytes field at the length the data claims
 * before reading it, so a few random bytes can ask for a gigabyte and take the task manager down.
 * Here every length is checked against the bytes actually left, and trailing bytes after the record
 * are refused (they mean the writer used another schema). Arrays and maps are refused when they
 * claim more items than bytes left, which only misjudges arrays of nulls.
 */
final class AvroBinaryScan {
    private final byte[] data;
    private int pos;

    private AvroBinaryScan(byte[] data) {
        this.data = data;
    }

    /** Throws, with the offending position, unless {@code data} is exactly one {@code schema}. */
    static void check(Schema schema, byte[] data) throws IOException {
        AvroBinaryScan scan = new AvroBinaryScan(data);
        scan.skip(schema);
        if (scan.pos != data.length) {
            throw new IOException(
                    (data.length - scan.pos)
                            + " bytes left after a complete "
                            + schema.getName()
                            + " record at byte "
                            + scan.pos
                            + " of "
                            + data.length
                            + ": written with another schema");
        }
    }

    private void skip(Schema s) throws IOException {
        switch (s.getType()) {
            case NULL -> {}
            case BOOLEAN -> {
                int b = advance(1);
                if (data[b] != 0 && data[b] != 1) {
                    throw new IOException("boolean byte " + data[b] + " at byte " + b);
                }
            }
            case INT -> {
                long v = readLong();
                if (v != (int) v) {
                    throw new IOException("int out of range at byte " + pos + ": " + v);
                }
            }
            case LONG -> readLong();
            case FLOAT -> advance(4);
            case DOUBLE -> advance(8);
            case FIXED -> advance(s.getFixedSize());
            case STRING, BYTES -> advance(length(s.getType().getName()));
            case ENUM -> index(s.getEnumSymbols().size(), s.getName());
            case UNION -> skip(s.getTypes().get(index(s.getTypes().size(), "union")));
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    skip(f.schema());
                }
            }
            case ARRAY -> {
                for (long n = blockCount(); n != 0; n = blockCount()) {
                    for (long i = 0; i < n; i++) {
                        skip(s.getElementType());
                    }
                }
            }
            case MAP -> {
                for (long n = blockCount(); n != 0; n = blockCount()) {
                    for (long i = 0; i < n; i++) {
                        advance(length("map key"));
                        skip(s.getValueType());
                    }
                }
            }
        }
    }

    private int index(int size, String what) throws IOException {
        int at = pos;
        long i = readLong();
        if (i < 0 || i >= size) {
            throw new IOException(
                    what + " index " + i + " at byte " + at + " not in [0, " + size + ")");
        }
        return (int) i;
    }

    private int length(String what) throws IOException {
        int at = pos;
        long n = readLong();
        if (n < 0 || n > data.length - pos) {
            throw new EOFException(
                    what
                            + " length "
                            + n
                            + " at byte "
                            + at
                            + (n < 0
                                    ? " is negative"
                                    : " runs past the " + data.length + "-byte value"));
        }
        return (int) n;
    }

    private long blockCount() throws IOException {
        long n = readLong();
        if (n < 0) {
            n = -n; // a negative count is followed by the block's size in bytes
            length("block");
        }
        if (n > data.length - pos) {
            throw new EOFException(n + " items claimed at byte " + pos + " with fewer bytes left");
        }
        return n;
    }

    /** Moves past {@code n} bytes; returns where they start. */
    private int advance(int n) throws EOFException {
        if (n > data.length - pos) {
            throw new EOFException(n + " bytes needed at byte " + pos + " of " + data.length);
        }
        int at = pos;
        pos += n;
        return at;
    }

    /** A zig-zag varint, as Avro writes int and long. */
    private long readLong() throws IOException {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = data[advance(1)] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IOException("varint longer than 10 bytes at byte " + pos);
    }
}
