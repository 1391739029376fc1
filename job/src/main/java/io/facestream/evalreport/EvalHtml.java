package io.facestream.evalreport;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.facestream.annotate.Jpeg;
import io.facestream.eval.EvalFailure;
import io.facestream.eval.EvalReport;
import io.facestream.eval.EvalSample;
import io.facestream.eval.OpenSetRates;
import io.facestream.html.Html;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The eval report as one self-contained HTML file: the key figures, the score histograms and ROC
 * (JFreeChart PNGs, inlined), the open-set table, the failed inputs, and the worst false rejects
 * and closest false accepts as aligned-face thumbnails beside their nearest gallery entry.
 */
public final class EvalHtml {
    private final EvalReport r;
    private final Map<String, EvalSample> thumbs = new HashMap<>();
    private final Map<String, EvalSample> byIdentity = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private EvalHtml(EvalReport report, List<EvalSample> samples) {
        this.r = report;
        // probes are named by path, gallery entries by file name: index both ways
        for (EvalSample s : samples) {
            thumbs.put(s.file().toString(), s);
            thumbs.putIfAbsent(s.file().getFileName().toString(), s);
            byIdentity.putIfAbsent(s.identity(), s);
        }
    }

    /** Writes the report to {@code file}; {@code samples} supply the thumbnails (may be empty). */
    public static void write(EvalReport report, List<EvalSample> samples, Path file)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(report, samples), StandardCharsets.UTF_8);
    }

    static String render(EvalReport report, List<EvalSample> samples) {
        return new EvalHtml(report, samples).build();
    }

    private String build() {
        out.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>facestream eval")
                .append("</title><style>body{font-family:sans-serif;margin:24px}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:right}th{background:#eee}")
                .append(".face{display:inline-block;margin:6px;text-align:center;font-size:12px}")
                .append(".face img{width:112px;height:112px}.bad{color:#c62828}</style>")
                .append("</head><body>");
        out.append("<h1>facestream eval</h1><p>")
                .append(Html.esc(r.detector() + " / " + r.embedder()))
                .append(" &middot; mode ")
                .append(Html.esc(r.mode()))
                .append(" &middot; ")
                .append(Html.esc(String.join(", ", r.inputs())))
                .append("</p>");
        summary();
        out.append("<h2>Distributions and ROC</h2>");
        var v = r.verification();
        double rec = r.recommendation().threshold();
        chart(
                "score histograms",
                EvalCharts.histograms(
                        v.genuine(), v.impostor(), r.settings().currentThreshold(), rec));
        chart("ROC", EvalCharts.roc(v.roc()));
        openSet();
        examples("Worst false rejects", r.worstFalseRejects());
        examples("Closest false accepts", r.closestFalseAccepts());
        failures();
        out.append("</body></html>\n");
        return out.toString();
    }

    private void summary() {
        var v = r.verification();
        var rec = r.recommendation();
        out.append("<h2>Summary</h2><table>");
        row("images (usable / failed)", r.images().usable() + " / " + r.images().failed());
        row("genuine / impostor pairs", v.genuine().count() + " / " + v.impostor().count());
        for (var t : v.tarAtFar()) {
            row("TAR @ FAR " + t.far(), f(t.tar()) + " (threshold " + f(t.threshold()) + ")");
        }
        row("EER", f(v.eer().value()) + " at " + f(v.eer().threshold()));
        if (r.openSet() != null) {
            OpenSetRates c = r.openSet().current();
            row(
                    "at the current threshold " + f(c.threshold()),
                    "rank-1 "
                            + f(c.rank1())
                            + ", rejected "
                            + f(c.falseRejectRate())
                            + ", strangers accepted "
                            + f(c.strangerFalseAcceptRate()));
        }
        row(
                "recommended for FAR " + rec.targetFar(),
                f(rec.threshold())
                        + (rec.confident()
                                ? " (confident)"
                                : " (not confident: FAR may be up to "
                                        + f(rec.farUpper95())
                                        + ")"));
        out.append("</table>");
        for (String n : r.notes()) {
            out.append("<p class=\"bad\">").append(Html.esc(n)).append("</p>");
        }
    }

    private void openSet() {
        if (r.openSet() == null) {
            return;
        }
        out.append("<h2>Open-set identification</h2><p>closed-set rank-1 ")
                .append(f(r.openSet().closedSetRank1()))
                .append("</p><table><tr><th>threshold</th><th>rank-1</th><th>rejected</th>")
                .append("<th>wrong identity</th><th>strangers accepted</th></tr>");
        for (OpenSetRates o : r.openSet().candidates()) {
            out.append(
                    Html.row(
                            f(o.threshold()),
                            f(o.rank1()),
                            f(o.falseRejectRate()),
                            f(o.misidentificationRate()),
                            f(o.strangerFalseAcceptRate())));
        }
        out.append("</table>");
    }

    private void examples(String title, List<EvalReport.Example> examples) {
        if (r.openSet() == null) {
            return;
        }
        out.append("<h2>").append(title).append("</h2>");
        if (examples.isEmpty()) {
            out.append("<p>none</p>");
        }
        for (EvalReport.Example e : examples) {
            out.append("<div class=\"face\">")
                    .append(thumb(e.file(), e.identity()))
                    .append(nearestThumb(e))
                    .append("<br>")
                    .append(Html.esc(e.identity()))
                    .append(" &rarr; ")
                    .append(Html.esc(e.decided() == null ? "Unknown" : e.decided()))
                    .append("<br>nearest ")
                    .append(Html.esc(String.valueOf(e.nearest())))
                    .append(" ")
                    .append(f(e.similarity()))
                    .append("</div>");
        }
    }

    private void failures() {
        out.append("<h2>Failed inputs</h2><table><tr><th>reason</th><th>count</th></tr>");
        r.failureCounts().forEach((k, n) -> row(k.name(), String.valueOf(n)));
        out.append("</table><ul>");
        for (EvalFailure x : r.failures()) {
            out.append("<li>")
                    .append(Html.esc(x.file()))
                    .append(": ")
                    .append(Html.esc(x.reason() + ", " + x.message()))
                    .append("</li>");
        }
        out.append("</ul>");
    }

    /**
     * The nearest entry's face; with {@code --decision template} the nearest is an identity's
     * template, which has no photo of its own, so a photo of that identity stands for it.
     */
    private String nearestThumb(EvalReport.Example e) {
        String alt = String.valueOf(e.nearest());
        if (e.nearestSource() != null && thumbs.containsKey(e.nearestSource())) {
            return thumb(e.nearestSource(), alt);
        }
        EvalSample s = e.nearest() == null ? null : byIdentity.get(e.nearest());
        return thumb(s == null ? null : s.file().toString(), alt);
    }

    private String thumb(String key, String alt) {
        EvalSample s = key == null ? null : thumbs.get(key);
        if (s == null) {
            return "<span>(no image)</span>";
        }
        try (Mat m = new Mat(s.cropSize(), s.cropSize(), CV_8UC3)) {
            m.data().put(s.crop());
            return Html.jpeg(Jpeg.encode(m, 90), alt);
        }
    }

    private void chart(String alt, byte[] png) {
        out.append("<p>").append(Html.img("image/png", png, alt, "class=\"chart\"")).append("</p>");
    }

    private void row(String k, String v) {
        out.append("<tr><th>")
                .append(Html.esc(k))
                .append("</th><td>")
                .append(Html.esc(v))
                .append("</td></tr>");
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.3f", x);
    }
}
