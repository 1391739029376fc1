package io.facestream.flink.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint format of the {@link VideoSplitEnumerator}: the splits not yet assigned, as a count
 * followed by each split in {@link VideoSplitSerializer}'s format (whose version it shares).
 */
public final class PendingSplitsSerializer
        implements SimpleVersionedSerializer<Collection<VideoSplit>> {
    public static final PendingSplitsSerializer INSTANCE = new PendingSplitsSerializer();

    @Override
    public int getVersion() {
        return VideoSplitSerializer.INSTANCE.getVersion();
    }

    @Override
    public byte[] serialize(Collection<VideoSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 128 * splits.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(splits.size());
            for (VideoSplit s : splits) {
                VideoSplitSerializer.write(s, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public Collection<VideoSplit> deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            List<VideoSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(VideoSplitSerializer.read(version, in));
            }
            return splits;
        }
    }
}
