package io.facestream.evalreport;

import io.facestream.eval.Roc;
import io.facestream.eval.ScoreSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The eval report's charts, rendered by JFreeChart as PNG bytes. */
final class EvalCharts {
    static final int WIDTH = 720;
    static final int HEIGHT = 360;
    private static final Color GENUINE = new Color(0x2e7d32);
    private static final Color IMPOSTOR = new Color(0xc62828);

    private EvalCharts() {}

    /**
     * Genuine and impostor similarity histograms, each as a fraction of its own pairs (impostors
     * outnumber genuine pairs by far), with the current and recommended thresholds marked.
     */
    static byte[] histograms(
            ScoreSummary genuine, ScoreSummary impostor, double current, double recommended) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("genuine (same person)", genuine));
        data.addSeries(series("impostor (different people)", impostor));
        data.setIntervalWidth(genuine.binWidth());
        JFreeChart chart =
                ChartFactory.createXYBarChart(
                        "Similarity of pairs",
                        "cosine similarity",
                        false,
                        "fraction of pairs",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer bars = (XYBarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, withAlpha(GENUINE));
        bars.setSeriesPaint(1, withAlpha(IMPOSTOR));
        plot.getDomainAxis().setRange(-0.5, 1.0);
        plot.addDomainMarker(marker(current, "current", Color.DARK_GRAY));
        if (!Double.isNaN(recommended)) {
            plot.addDomainMarker(marker(recommended, "recommended", Color.BLUE));
        }
        return png(chart);
    }

    /** TAR against FAR on a log axis (FAR 0 cannot show on it and is left out). */
    static byte[] roc(List<Roc.Point> points) {
        XYSeries s = new XYSeries("ROC", false);
        double minFar = 1;
        for (Roc.Point p : points) {
            if (p.far() > 0) {
                s.add(p.far(), p.tar());
                minFar = Math.min(minFar, p.far());
            }
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "ROC",
                        "false accept rate",
                        "true accept rate",
                        new XYSeriesCollection(s),
                        PlotOrientation.VERTICAL,
                        false,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        LogAxis far = new LogAxis("false accept rate (log)");
        far.setRange(Math.min(1e-3, minFar / 2), 1.0);
        far.setTickUnit(new NumberTickUnit(1)); // one tick per decade
        far.setNumberFormatOverride(new DecimalFormat("0.#####"));
        plot.setDomainAxis(far);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        plot.getRenderer().setSeriesPaint(0, Color.BLUE);
        return png(chart);
    }

    private static XYSeries series(String name, ScoreSummary s) {
        XYSeries out = new XYSeries(name);
        int[] h = s.histogram();
        for (int i = 0; i < h.length; i++) {
            double centre = -1 + (i + 0.5) * s.binWidth();
            out.add(centre, s.count() == 0 ? 0 : h[i] / (double) s.count());
        }
        return out;
    }

    private static ValueMarker marker(double x, String label, Color colour) {
        ValueMarker m = new ValueMarker(x, colour, new BasicStroke(1.5f));
        m.setLabel(label);
        m.setLabelPaint(colour);
        return m;
    }

    private static Color withAlpha(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 160);
    }

    private static byte[] png(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
