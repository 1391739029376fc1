package io.facestream.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Downloads model files into a folder (the {@link ModelCache}) and checks them against the
 * manifest's sha256 before they become visible.
 *
 * <p>A file is downloaded to {@code <file>.part} in the target folder, hashed while it is written,
 * and moved to its name only when the digest matches; on any failure (mismatch, HTTP error,
 * connection refused, interrupted transfer) the partial file is deleted, so a folder never holds a
 * file that {@link ModelResolver} would refuse. Without a mirror a model comes from the manifest's
 * upstream URL ({@link ModelSpec#download()}); with a mirror from {@code <mirror>/<file>}, which is
 * how a site serves its own copies (and how the tests serve {@code ../shared/models}).
 */
public final class ModelFetcher {
    /** Told how many bytes have arrived; {@code total} is -1 when the server did not say. */
    @FunctionalInterface
    public interface Progress {
        void bytes(ModelSpec model, long done, long total);
    }

    private final Path dir;
    private final String mirror;
    private final HttpClient http;

    /**
     * @param dir the folder to download into (created when missing)
     * @param mirror base URL serving every model under its manifest file name, or null for the
     *     upstream URLs
     */
    public ModelFetcher(Path dir, String mirror) {
        this.dir = dir;
        this.mirror = mirror == null || mirror.isBlank() ? null : stripSlash(mirror);
        this.http =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(20))
                        .build();
    }

    /** Where {@code model} would be fetched from; a {@link ModelException} when nowhere. */
    public URI sourceOf(ModelSpec model) {
        if (mirror != null) {
            return URI.create(mirror + "/" + model.file());
        }
        String url = model.downloadUrl();
        if (url == null && model.derivedFrom() != null) {
            throw new ModelException(
                    "model '"
                            + model.id()
                            + "' is derived from '"
                            + model.derivedFrom()
                            + "' (derive it from that file), not downloaded");
        }
        if (url == null) {
            throw new ModelException(
                    "model '"
                            + model.id()
                            + "' has no public download: it was derived from an upstream file ("
                            + model.source()
                            + "). Copy "
                            + model.file()
                            + " (sha256 "
                            + model.sha256()
                            + ") from a machine that has it, or fetch from a mirror that serves"
                            + " it (--mirror URL).");
        }
        return URI.create(url);
    }

    /**
     * Builds {@code model} from {@code base}, the verified file of the model it is derived from
     * ({@link ModelSpec#derivedFrom()}), and checks the result's sha256 like a download. An
     * embedder is derived by {@link DynamicBatch}, a detector by {@link DynamicImageSize}.
     */
    public Path derive(ModelSpec model, Path base) {
        Path target = dir.resolve(model.file());
        Path part = null;
        try {
            Files.createDirectories(dir);
            byte[] original = Files.readAllBytes(base);
            byte[] derived =
                    model.kind() == ModelSpec.Kind.DETECTOR
                            ? DynamicImageSize.derive(original)
                            : DynamicBatch.derive(original);
            String digest = HexFormat.of().formatHex(sha256().digest(derived));
            if (!digest.equalsIgnoreCase(model.sha256())) {
                throw new ModelException(
                        "refused model '"
                                + model.id()
                                + "' derived from "
                                + base
                                + ": its sha256 is "
                                + digest
                                + " but the manifest expects "
                                + model.sha256()
                                + "; nothing was written");
            }
            // A unique name: operators of several jobs (or JVMs) may derive the same file at once;
            // the content is the same, so whichever move lands last is as good as the first.
            part = Files.createTempFile(dir, model.file() + ".", ".part");
            Files.write(part, derived);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            if (part != null) {
                deleteQuietly(part);
            }
            throw new ModelException(
                    "cannot derive model '" + model.id() + "' from " + base + ": " + e, e);
        }
    }

    /** Downloads and verifies {@code model}; returns its path in the folder. */
    public Path fetch(ModelSpec model, Progress progress) {
        URI from = sourceOf(model);
        boolean archive = mirror == null && model.download().archiveEntry() != null;
        Path target = dir.resolve(model.file());
        Path part = dir.resolve(model.file() + ".part");
        try {
            Files.createDirectories(dir);
            HttpResponse<InputStream> response =
                    http.send(
                            HttpRequest.newBuilder(from).timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ModelException(
                            "cannot download model '"
                                    + model.id()
                                    + "' from "
                                    + from
                                    + ": HTTP "
                                    + response.statusCode());
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                InputStream counted = new CountingInputStream(body, model, total, progress);
                String digest =
                        archive
                                ? copyEntry(counted, model.download().archiveEntry(), part, from)
                                : copy(counted, part);
                if (!digest.equalsIgnoreCase(model.sha256())) {
                    throw new ModelException(
                            "refused model '"
                                    + model.id()
                                    + "' from "
                                    + from
                                    + ": its sha256 is "
                                    + digest
                                    + " but the manifest expects "
                                    + model.sha256()
                                    + "; the download was deleted");
                }
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (ConnectException e) {
            throw failed(model, from, part, "connection refused (is the server up?)", e);
        } catch (HttpTimeoutException e) {
            throw failed(model, from, part, "timed out", e);
        } catch (IOException e) {
            throw failed(model, from, part, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(model, from, part, "interrupted", e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    private static String copy(InputStream in, Path part) throws IOException {
        MessageDigest md = sha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), md)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String copyEntry(InputStream tgz, String entry, Path part, URI from)
            throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(tgz))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().equals(entry)) {
                    return copy(tar, part);
                }
            }
        }
        throw new ModelException(from + " has no entry " + entry);
    }

    private static ModelException failed(
            ModelSpec model, URI from, Path part, String why, Exception cause) {
        deleteQuietly(part);
        return new ModelException(
                "cannot download model '" + model.id() + "' from " + from + ": " + why, cause);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: the next fetch overwrites a leftover .part anyway.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Reports bytes read from the response body. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final ModelSpec model;
        private final long total;
        private final Progress progress;
        private long done;

        CountingInputStream(InputStream in, ModelSpec model, long total, Progress progress) {
            super(in);
            this.model = model;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            done += n;
            if (progress != null) {
                progress.bytes(model, done, total);
            }
        }
    }
}
