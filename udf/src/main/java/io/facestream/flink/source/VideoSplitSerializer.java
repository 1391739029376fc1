package io.facestream.flink.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint format of a {@link VideoSplit}. Version 1: splitId, uri, cameraId, kind (UTF), then
 * nextFrameIndex, resumeAfterUs, fromMs, toMs (long) and ended (boolean). A new field means a new
 * version; old versions stay readable so savepoints survive upgrades.
 */
public final class VideoSplitSerializer implements SimpleVersionedSerializer<VideoSplit> {
    public static final VideoSplitSerializer INSTANCE = new VideoSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public VideoSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(version, in);
        }
    }

    static void write(VideoSplit s, DataOutputStream out) throws IOException {
        out.writeUTF(s.splitId());
        out.writeUTF(s.uri());
        out.writeUTF(s.cameraId());
        out.writeUTF(s.kind().name());
        out.writeLong(s.nextFrameIndex());
        out.writeLong(s.resumeAfterUs());
        out.writeLong(s.fromMs());
        out.writeLong(s.toMs());
        out.writeBoolean(s.ended());
    }

    static VideoSplit read(int version, DataInputStream in) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown VideoSplit serialization version "
                            + version
                            + " (knows "
                            + VERSION
                            + ")");
        }
        return new VideoSplit(
                in.readUTF(),
                in.readUTF(),
                in.readUTF(),
                StreamKind.valueOf(in.readUTF()),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readBoolean());
    }
}
