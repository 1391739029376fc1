package io.facestream.replay;

import io.facestream.html.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-contained {@code report.html}: inline CSS from the template, thumbnails as base64 data
 * URIs, no scripts and no external references, so it opens from disk with no server or network. Per
 * video, one lane per identity and per unknown person with a bar per appearance (face track) placed
 * by start/end over the video's length, one shared lane for the tracks that were not recognisable
 * (counted by the gate they failed, not shown as people), and the people's thumbnails; then a
 * summary per identity across videos, and the failed and skipped files.
 */
final class ReportHtml {
    private ReportHtml() {}

    static String render(
            List<ReplayReport.VideoEntry> entries,
            List<ReplayInputs.Skipped> skipped,
            Map<String, byte[]> thumbs,
            String gallery) {
        StringBuilder body = new StringBuilder();
        for (ReplayReport.VideoEntry e : entries) {
            video(body, e, thumbs);
        }
        summary(body, entries, thumbs);
        problems(body, entries, skipped);
        long apps = entries.stream().mapToLong(e -> e.appearances().size()).sum();
        String meta =
                entries.size()
                        + " videos, "
                        + apps
                        + " appearances, gallery "
                        + Html.esc(gallery)
                        + "; times are seconds from each video's first frame";
        return template()
                .replace("{{title}}", Html.esc(gallery))
                .replace("{{meta}}", meta)
                .replace("{{body}}", body);
    }

    private static void video(
            StringBuilder b, ReplayReport.VideoEntry e, Map<String, byte[]> thumbs) {
        b.append("<h2 id=\"video-")
                .append(Html.esc(e.video().id()))
                .append("\">")
                .append(Html.esc(e.video().id()))
                .append("</h2>\n<div class=\"meta\">")
                .append(e.framesDone())
                .append(" frames, ")
                .append(
                        e.video().durationMs() < 0
                                ? "length unknown"
                                : secs(e.video().durationMs()) + " s")
                .append(
                        e.failed()
                                ? " — <span class=\"failed\">failed: "
                                        + Html.esc(e.errors().get(0))
                                        + "</span>"
                                : "")
                .append("</div>\n");
        if (e.appearances().isEmpty()) {
            b.append("<p class=\"empty\">Nobody appears in this video.</p>\n");
            return;
        }
        long len = e.timelineMs();
        Map<String, List<Appearance>> lanes = new java.util.LinkedHashMap<>();
        e.appearances().stream()
                // gallery identities by name, unknown people in start order, then the rest
                .sorted(
                        java.util.Comparator.comparingInt(ReportHtml::laneOrder)
                                .thenComparing(a -> a.matched() ? a.identity() : ""))
                .forEach(
                        a ->
                                lanes.computeIfAbsent(lane(a), k -> new java.util.ArrayList<>())
                                        .add(a));
        b.append("<div class=\"timeline\">\n");
        for (var lane : lanes.entrySet()) {
            b.append("<div class=\"lane\"><div class=\"name\">")
                    .append(Html.esc(lane.getKey()))
                    .append("</div><div class=\"track\">");
            for (Appearance a : lane.getValue()) {
                double left = 100.0 * a.startMs() / len;
                double width = 100.0 * Math.max(1, a.endMs() - a.startMs()) / len;
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<div class=\"bar%s\" style=\"left:%.2f%%;width:%.2f%%\" title=\"%s %s–%s s, %d frames\"></div>",
                                a.matched() ? "" : a.unknownPerson() ? " unknown" : " junk",
                                left,
                                width,
                                Html.esc(
                                        a.reason() == null
                                                ? a.identity()
                                                : a.identity()
                                                        + " ("
                                                        + Timeline.reasonLabel(a.reason())
                                                        + ")"),
                                secs(a.startMs()),
                                secs(a.endMs()),
                                a.frames()));
            }
            b.append("</div></div>\n");
        }
        b.append("</div>\n<div class=\"axis\"><span>0 s</span><span>")
                .append(secs(len / 2))
                .append(" s</span><span>")
                .append(secs(len))
                .append(" s</span></div>\n<div class=\"thumbs\">\n");
        for (var lane : lanes.values()) {
            for (Appearance a : lane) {
                if (!a.matched() && !a.unknownPerson()) {
                    continue; // no face of theirs passed the gates: nothing worth showing
                }
                b.append("<figure>")
                        .append(img(thumbs.get(a.key()), a.identity()))
                        .append("<figcaption>")
                        .append(Html.esc(a.identity()))
                        .append("<br>")
                        .append(secs(a.startMs()))
                        .append("–")
                        .append(secs(a.endMs()))
                        .append(" s</figcaption></figure>\n");
            }
        }
        b.append("</div>\n");
        String junk = notRecognisable(e.timeline().notRecognisableByReason());
        if (!junk.isEmpty()) {
            b.append("<p class=\"meta\">").append(Html.esc(junk)).append("</p>\n");
        }
    }

    /** {@code not recognisable: 8 tracks (blurred 5, pose 3)}, or empty when there are none. */
    static String notRecognisable(Map<String, Integer> byReason) {
        int n = byReason.values().stream().mapToInt(Integer::intValue).sum();
        if (n == 0) {
            return "";
        }
        StringBuilder s =
                new StringBuilder("not recognisable: " + n + (n == 1 ? " track (" : " tracks ("));
        String sep = "";
        for (var r : byReason.entrySet()) {
            s.append(sep).append(r.getKey()).append(' ').append(r.getValue());
            sep = ", ";
        }
        return s.append(')').toString();
    }

    private static int laneOrder(Appearance a) {
        return switch (a.status()) {
            case MATCHED -> 0;
            case UNKNOWN -> 1;
            case NOT_RECOGNISABLE -> 2;
            default -> 3;
        };
    }

    /** Each identity and each unknown person gets a lane; the rest share one per status. */
    private static String lane(Appearance a) {
        return switch (a.status()) {
            case MATCHED, UNKNOWN -> a.identity();
            case NOT_RECOGNISABLE -> "not recognisable";
            default -> "lookup failed";
        };
    }

    private static void summary(
            StringBuilder b, List<ReplayReport.VideoEntry> entries, Map<String, byte[]> thumbs) {
        Map<String, Object[]> rows = rows(entries, Appearance::matched);
        Map<String, Object[]> strangers = rows(entries, Appearance::pseudonymous);
        long unknown =
                entries.stream()
                        .flatMap(e -> e.appearances().stream())
                        .filter(Appearance::unknownPerson)
                        .count();
        Map<String, Integer> junk = new TreeMap<>();
        entries.forEach(
                e ->
                        e.timeline()
                                .notRecognisableByReason()
                                .forEach((k, v) -> junk.merge(k, v, Integer::sum)));
        b.append("<h2>Identities across all videos</h2>\n");
        if (rows.isEmpty()) {
            b.append("<p class=\"empty\">No gallery identity was recognised.</p>\n");
        } else {
            table(b, rows, thumbs, "identity", "best similarity");
        }
        if (!strangers.isEmpty()) {
            b.append("<h2>Unknown people across all videos, by pseudonym</h2>\n");
            table(b, strangers, thumbs, "pseudonym", "best similarity to the gallery");
        }
        b.append("<p class=\"meta\">")
                .append(unknown)
                .append(" unknown people (grey bars): face tracks the gallery does not know.");
        if (!junk.isEmpty()) {
            b.append(" ")
                    .append(Html.esc(notRecognisable(junk)))
                    .append(
                            " (hatched bars): faces that never passed a quality gate, not counted"
                                    + " as people.");
        }
        b.append("</p>\n");
    }

    /** Per label: videos, appearances, frames, ms seen, best similarity, best thumbnail key. */
    private static Map<String, Object[]> rows(
            List<ReplayReport.VideoEntry> entries, java.util.function.Predicate<Appearance> which) {
        Map<String, Object[]> rows = new TreeMap<>();
        for (ReplayReport.VideoEntry e : entries) {
            for (Appearance a : e.appearances()) {
                if (!which.test(a)) {
                    continue;
                }
                Object[] r =
                        rows.computeIfAbsent(
                                a.identity(),
                                k ->
                                        new Object[] {
                                            new java.util.TreeSet<String>(),
                                            0,
                                            0,
                                            0L,
                                            Double.NEGATIVE_INFINITY,
                                            null
                                        });
                @SuppressWarnings("unchecked")
                java.util.Set<String> videos = (java.util.Set<String>) r[0];
                videos.add(a.video());
                r[1] = (int) r[1] + 1;
                r[2] = (int) r[2] + a.frames();
                r[3] = (long) r[3] + (a.endMs() - a.startMs());
                if (a.bestSimilarity() > (double) r[4]) {
                    r[4] = a.bestSimilarity();
                    r[5] = a.key();
                }
            }
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static void table(
            StringBuilder b,
            Map<String, Object[]> rows,
            Map<String, byte[]> thumbs,
            String label,
            String similarity) {
        b.append("<table><tr><th></th><th>")
                .append(label)
                .append("</th><th>videos</th><th>appearances</th>")
                .append("<th>frames</th><th>time seen (s)</th><th>")
                .append(similarity)
                .append("</th></tr>\n");
        for (var row : rows.entrySet()) {
            Object[] r = row.getValue();
            b.append(
                            Html.row(
                                    img(thumbs.get((String) r[5]), row.getKey()),
                                    Html.esc(row.getKey()),
                                    Html.esc(String.join(", ", (java.util.Set<String>) r[0])),
                                    r[1],
                                    r[2],
                                    secs((long) r[3]),
                                    ReplayReport.score((double) r[4])))
                    .append('\n');
        }
        b.append("</table>\n");
    }

    private static void problems(
            StringBuilder b,
            List<ReplayReport.VideoEntry> entries,
            List<ReplayInputs.Skipped> skipped) {
        List<ReplayReport.VideoEntry> failed =
                entries.stream().filter(ReplayReport.VideoEntry::failed).toList();
        if (failed.isEmpty() && skipped.isEmpty()) {
            return;
        }
        b.append(
                "<h2>Failed and skipped files</h2>\n<table><tr><th>file</th><th>outcome</th><th>reason</th></tr>\n");
        for (ReplayReport.VideoEntry e : failed) {
            b.append("<tr><td>")
                    .append(Html.esc(e.video().path().toString()))
                    .append("</td><td class=\"failed\">failed</td><td>")
                    .append(Html.esc(String.join("; ", e.errors())))
                    .append("</td></tr>\n");
        }
        for (ReplayInputs.Skipped s : skipped) {
            b.append(Html.row(Html.esc(s.path().toString()), "skipped", Html.esc(s.reason())))
                    .append('\n');
        }
        b.append("</table>\n");
    }

    private static String img(byte[] jpeg, String alt) {
        if (jpeg == null) {
            return "<span class=\"empty\">no image</span>";
        }
        return Html.jpeg(jpeg, alt);
    }

    private static String secs(long ms) {
        return String.format(Locale.ROOT, "%.2f", ms / 1000.0);
    }

    private static String template() {
        try (InputStream in = ReportHtml.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IllegalStateException("report.html template missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
