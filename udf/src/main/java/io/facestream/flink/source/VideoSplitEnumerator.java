package io.facestream.flink.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a static list of streams to the readers. Push, not pull: a live stream never finishes, so a
 * reader that waited for its current split to end before asking for the next would never read a
 * second camera. Splits are dealt round-robin once every reader has registered (so parallelism
 * spreads cameras instead of the first reader taking them all); a split handed back after a failure
 * goes to the same subtask when it comes back. Each reader is told "no more splits" after its
 * share, so a bounded source ends when its files do.
 */
final class VideoSplitEnumerator implements SplitEnumerator<VideoSplit, Collection<VideoSplit>> {
    private static final Logger LOG = LoggerFactory.getLogger(VideoSplitEnumerator.class);

    private final SplitEnumeratorContext<VideoSplit> context;
    private final List<VideoSplit> unassigned;
    private final Map<Integer, List<VideoSplit>> returned = new HashMap<>();

    VideoSplitEnumerator(
            SplitEnumeratorContext<VideoSplit> context, Collection<VideoSplit> splits) {
        this.context = context;
        this.unassigned = new ArrayList<>(splits);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Push model: every split is assigned in addReader; requests carry no information.
    }

    @Override
    public void addSplitsBack(List<VideoSplit> splits, int subtaskId) {
        returned.computeIfAbsent(subtaskId, k -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        List<VideoSplit> back = returned.remove(subtaskId);
        if (back != null && !back.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, back)));
        }
        if (!unassigned.isEmpty()
                && context.registeredReaders().size() >= context.currentParallelism()) {
            dealUnassigned();
        } else if (unassigned.isEmpty()) {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    /** Round-robin over the registered readers in subtask order, then "no more" to each. */
    private void dealUnassigned() {
        List<Integer> readers =
                new ArrayList<>(new TreeSet<>(context.registeredReaders().keySet()));
        Map<Integer, List<VideoSplit>> deal = new HashMap<>();
        for (int i = 0; i < unassigned.size(); i++) {
            int reader = readers.get(i % readers.size());
            deal.computeIfAbsent(reader, k -> new ArrayList<>()).add(unassigned.get(i));
        }
        LOG.info("Assigning {} video streams to {} readers", unassigned.size(), readers.size());
        unassigned.clear();
        context.assignSplits(new SplitsAssignment<>(deal));
        readers.forEach(context::signalNoMoreSplits);
    }

    @Override
    public Collection<VideoSplit> snapshotState(long checkpointId) {
        List<VideoSplit> pending = new ArrayList<>(unassigned);
        returned.values().forEach(pending::addAll);
        return pending;
    }

    @Override
    public void close() {}
}
