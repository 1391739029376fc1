package io.facestream.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.schema.MatchStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes a replay's report under one folder: {@code appearances.csv}, {@code appearances.json}
 * (schema {@code appearances.schema.json}), {@code thumbs/<video>_<identity>_<n>.jpg} (each track's
 * best face, as the job sent it) and a self-contained {@code report.html}. Each file is written to
 * a temporary file and moved into place, so an interrupted run leaves the previous report whole;
 * the same input gives the same CSV and JSON bytes (no wall-clock times in them, similarities
 * rounded to 3 decimals, fixed order).
 */
public final class ReplayReport {
    /**
     * One video's outcome in the report.
     *
     * @param lookupFailed faces whose gallery lookup failed (their tracks may still be named)
     */
    public record VideoEntry(
            ReplayInputs.Video video,
            int framesDone,
            Timeline timeline,
            int lookupFailed,
            List<String> errors) {
        public boolean failed() {
            return !errors.isEmpty();
        }

        public List<Appearance> appearances() {
            return timeline.appearances();
        }

        /** The timeline's length: the probed duration, else the last appearance's end. */
        public long timelineMs() {
            long last = appearances().stream().mapToLong(Appearance::endMs).max().orElse(0);
            return Math.max(video.durationMs(), last + 1);
        }
    }

    private final Path dir;

    public ReplayReport(Path dir) {
        this.dir = dir;
    }

    /**
     * Fails with a clear message when {@code dir} cannot be created or written, before any work.
     */
    public static void checkWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    "--out " + dir + " is not a writable folder: " + e, e);
        }
    }

    /** Each video's timeline from the job's appearance events, in input order. */
    public static List<VideoEntry> entries(ReplayResult result) {
        Map<String, List<String>> failures = result.failures();
        List<VideoEntry> out = new ArrayList<>();
        for (ReplayInputs.Video v : result.inputs().videos()) {
            int lookupFailed =
                    (int)
                            result.identities(v.id()).stream()
                                    .filter(r -> r.getStatus() == MatchStatus.LOOKUP_FAILED)
                                    .count();
            out.add(
                    new VideoEntry(
                            v,
                            result.framesDone(v.id()),
                            Timeline.of(v.id(), result.appearances(v.id()), v.startMs()),
                            lookupFailed,
                            failures.getOrDefault(v.id(), List.of())));
        }
        return out;
    }

    /** Writes every file of the report; returns the path of {@code report.html}. */
    public Path write(ReplayResult result, List<VideoEntry> entries, String gallery)
            throws IOException {
        Files.createDirectories(dir.resolve("thumbs"));
        Map<String, byte[]> thumbs = new LinkedHashMap<>();
        entries.forEach(e -> thumbs.putAll(e.timeline().thumbnails()));
        Set<String> names = new TreeSet<>();
        for (var t : thumbs.entrySet()) {
            String name = t.getKey() + ".jpg";
            names.add(name);
            atomically(dir.resolve("thumbs").resolve(name), t.getValue());
        }
        try (Stream<Path> old = Files.list(dir.resolve("thumbs"))) {
            for (Path p : old.toList()) { // thumbnails of an earlier, different replay
                if (!names.contains(p.getFileName().toString())) {
                    Files.delete(p);
                }
            }
        }
        atomically(dir.resolve("appearances.csv"), csv(entries, thumbs.keySet()));
        atomically(
                dir.resolve("appearances.json"),
                json(entries, result.inputs().skipped(), thumbs.keySet(), gallery));
        Path html = dir.resolve("report.html");
        atomically(
                html,
                ReportHtml.render(entries, result.inputs().skipped(), thumbs, gallery)
                        .getBytes(StandardCharsets.UTF_8));
        return html;
    }

    static byte[] csv(List<VideoEntry> entries, Set<String> thumbs) {
        StringBuilder b =
                new StringBuilder(
                        "video,track_id,identity,status,reason,matched,ordinal,start_ms,end_ms,"
                                + "first_sequence,last_sequence,frames,faces_embedded,"
                                + "best_similarity,thumbnail\n");
        for (VideoEntry e : entries) {
            for (Appearance a : e.appearances()) {
                b.append(csvField(a.video()))
                        .append(',')
                        .append(a.trackId())
                        .append(',')
                        .append(csvField(a.identity()))
                        .append(',')
                        .append(a.status())
                        .append(',')
                        .append(a.reason() == null ? "" : csvField(a.reason()))
                        .append(',')
                        .append(a.matched())
                        .append(',')
                        .append(a.ordinal())
                        .append(',')
                        .append(a.startMs())
                        .append(',')
                        .append(a.endMs())
                        .append(',')
                        .append(a.firstSequence())
                        .append(',')
                        .append(a.lastSequence())
                        .append(',')
                        .append(a.frames())
                        .append(',')
                        .append(a.facesEmbedded())
                        .append(',')
                        .append(score(a.bestSimilarity()))
                        .append(',')
                        .append(thumbs.contains(a.key()) ? csvField(thumb(a)) : "")
                        .append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(
            List<VideoEntry> entries,
            List<ReplayInputs.Skipped> skippedFiles,
            Set<String> thumbs,
            String gallery)
            throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("gallery", gallery);
        ArrayNode videos = root.putArray("videos");
        ArrayNode apps = root.putArray("appearances");
        for (VideoEntry e : entries) {
            ObjectNode v = videos.addObject();
            v.put("video", e.video().id());
            v.put("path", e.video().path().toString());
            v.put("status", e.failed() ? "failed" : "ok");
            v.put("startMs", e.video().startMs());
            v.put("durationMs", e.video().durationMs());
            v.put("framesDone", e.framesDone());
            v.put("appearances", e.appearances().size());
            v.put(
                    "unknownPeople",
                    e.appearances().stream().filter(Appearance::unknownPerson).count());
            ObjectNode junk = v.putObject("notRecognisable");
            e.timeline().notRecognisableByReason().forEach(junk::put);
            v.put("lookupFailed", e.lookupFailed());
            ArrayNode errors = v.putArray("errors");
            e.errors().forEach(errors::add);
            for (Appearance a : e.appearances()) {
                ObjectNode n = apps.addObject();
                n.put("video", a.video());
                n.put("trackId", a.trackId());
                n.put("identity", a.identity());
                n.put("status", a.status().name());
                if (a.reason() == null) {
                    n.putNull("reason");
                } else {
                    n.put("reason", a.reason());
                }
                n.put("matched", a.matched());
                n.put("ordinal", a.ordinal());
                n.put("startMs", a.startMs());
                n.put("endMs", a.endMs());
                n.put("firstSequence", a.firstSequence());
                n.put("lastSequence", a.lastSequence());
                n.put("frames", a.frames());
                n.put("facesEmbedded", a.facesEmbedded());
                putScore(n, "bestSimilarity", a.bestSimilarity());
                if (thumbs.contains(a.key())) {
                    n.put("thumbnail", thumb(a));
                } else {
                    n.putNull("thumbnail");
                }
            }
        }
        ArrayNode skipped = root.putArray("skipped");
        for (ReplayInputs.Skipped s : skippedFiles) {
            skipped.addObject().put("path", s.path().toString()).put("reason", s.reason());
        }
        return (m.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String thumb(Appearance a) {
        return "thumbs/" + a.key() + ".jpg";
    }

    /** Rounded to 3 decimals: run-to-run float noise in the last bits must not change the bytes. */
    static String score(double s) {
        return Double.isNaN(s) ? "" : String.format(Locale.ROOT, "%.3f", s);
    }

    private static void putScore(ObjectNode n, String field, double s) {
        if (Double.isNaN(s)) {
            n.putNull(field);
        } else {
            n.put(field, new java.math.BigDecimal(score(s)));
        }
    }

    /**
     * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula (leading
     * {@code = + - @}, tab or CR: identity names come from folder and file names) gets a leading
     * apostrophe, as OWASP advises; appearances.json keeps the exact name.
     */
    static String csvField(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\""
                : s;
    }

    private static void atomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            Files.write(tmp, bytes);
            try { // temp files are created owner-only; a report is meant to be shared
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its defaults
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
