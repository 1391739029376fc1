package io.facestream.flink.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;

/**
 * Reads all streams of one reader on its fetcher thread, round-robin: each fetch decodes at most
 * {@code source.frames-per-fetch} frames per stream, so one long file or busy camera cannot starve
 * the others and a fetch stays short enough for checkpoints and shutdown. Streams waiting out a
 * reconnect backoff, and paced files whose next frame is not due, are skipped; when nothing is
 * readable the fetch sleeps until the next retry, cut short by {@link #wakeUp()} (new splits,
 * shutdown).
 */
final class VideoSplitReader implements SplitReader<FetchedRecord, VideoSplit> {
    /** Longest idle wait, so paused splits are looked at again without a busy loop. */
    private static final long MAX_IDLE_WAIT_MS = 100;

    private final VideoSourceOptions options;
    private final VideoSourceMetrics metrics;
    private final Map<String, StreamCursor> streams = new LinkedHashMap<>();
    // Paused from the task thread (watermark alignment) while the fetcher reads it.
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final Object wakeLock = new Object();
    private boolean wokenUp;

    VideoSplitReader(VideoSourceOptions options, VideoSourceMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public RecordsWithSplitIds<FetchedRecord> fetch() {
        RecordsBySplits.Builder<FetchedRecord> out = new RecordsBySplits.Builder<>();
        long now = System.currentTimeMillis();
        long wakeAt = now + MAX_IDLE_WAIT_MS;
        boolean readSomething = false;
        for (StreamCursor stream : new ArrayList<>(streams.values())) {
            String id = stream.splitId();
            if (paused.contains(id)) {
                continue;
            }
            if (stream.readyAtMs() > now) {
                wakeAt = Math.min(wakeAt, stream.readyAtMs());
                continue;
            }
            readSomething = true;
            stream.read(options.framesPerFetch(), record -> out.add(id, record));
            if (stream.finished()) {
                out.addFinishedSplit(id);
                streams.remove(id).close();
            }
        }
        if (!readSomething) {
            sleepUntil(wakeAt);
        }
        return out.build();
    }

    private void sleepUntil(long wakeAtMs) {
        synchronized (wakeLock) {
            try {
                long left;
                while (!wokenUp && (left = wakeAtMs - System.currentTimeMillis()) > 0) {
                    wakeLock.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            wokenUp = false;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<VideoSplit> change) {
        if (change instanceof SplitsAddition) {
            for (VideoSplit split : change.splits()) {
                streams.put(split.splitId(), new StreamCursor(split, options, metrics));
            }
        } else if (change instanceof SplitsRemoval) {
            for (VideoSplit split : change.splits()) {
                StreamCursor removed = streams.remove(split.splitId());
                if (removed != null) {
                    removed.close();
                }
            }
        } else {
            throw new UnsupportedOperationException("unknown splits change " + change);
        }
    }

    @Override
    public void pauseOrResumeSplits(
            Collection<VideoSplit> splitsToPause, Collection<VideoSplit> splitsToResume) {
        splitsToPause.forEach(s -> paused.add(s.splitId()));
        splitsToResume.forEach(s -> paused.remove(s.splitId()));
    }

    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            wokenUp = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void close() {
        streams.values().forEach(StreamCursor::close);
        streams.clear();
    }
}
