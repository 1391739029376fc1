package io.facestream.cli;

import io.facestream.bench.FilterBench;
import io.facestream.gallery.FaceGallery;
import io.facestream.gallery.Galleries;
import io.facestream.gallery.GalleryOptions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facestream bench filter}: gallery lookup latency with a watchlist {@code FILTER} against
 * without, on a synthetic gallery in a local Redis 8 (see {@link FilterBench}); prints a Markdown
 * section for docs/benchmarks.md.
 */
@Command(
        name = "filter",
        description =
                "Lookup latency with a watchlist FILTER vs without, on a synthetic gallery in a"
                        + " local Redis 8.")
final class FilterBenchCommand implements Callable<Integer> {
    @Option(names = "--entries", defaultValue = "100000", description = "Gallery size.")
    int entries;

    @Option(names = "--people", defaultValue = "1000", description = "Distinct identities.")
    int people;

    @Option(names = "--dim", defaultValue = "512", description = "Embedding dimension.")
    int dim;

    @Option(names = "--queries", defaultValue = "2000", description = "Lookups per variant.")
    int queries;

    @Option(names = "--k", defaultValue = "5", description = "Nearest entries per lookup.")
    int k;

    @Option(
            names = "--existing",
            paramLabel = "REDIS_URL",
            description =
                    "Measure the gallery 'filter-bench' a run of this command filled (or was"
                            + " filling) on this Redis instead of building one.")
    String existing;

    @Override
    public Integer call() {
        List<FilterBench.Result> results;
        if (existing == null) {
            results = FilterBench.run(entries, people, dim, queries, k, System.err);
        } else {
            try (FaceGallery g =
                    Galleries.open(existing, "filter-bench", GalleryOptions.defaults())) {
                entries = (int) g.count();
                results = FilterBench.measureExisting(g, people, dim, queries, k);
            }
        }
        FilterBench.Result base = results.get(0);
        System.out.printf(
                Locale.ROOT,
                "%s. Command: `facestream bench filter --entries %d --people %d --dim %d --queries"
                        + " %d --k %d`. Synthetic vectors, NOQUANT, one client thread, variants"
                        + " interleaved query by query.%n%n",
                Machine.describe(),
                entries,
                people,
                dim,
                queries,
                k);
        System.out.println(
                "| variant | FILTER | p50 (ms) | p99 (ms) | p99 / p99 without |\n"
                        + "|---|---|---|---|---|");
        for (FilterBench.Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.3f | %.3f | %.2f |%n",
                    r.variant(),
                    r.filter() == null ? "none" : "`" + r.filter() + "`",
                    r.p50(),
                    r.p99(),
                    r.p99() / base.p99());
        }
        return 0;
    }
}
