package io.facestream.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a model file and checks its sha256 against the manifest.
 *
 * <p>Looks, in order, in: the directory given by configuration (or, when none is configured, the
 * {@code FACESTREAM_MODELS} environment variable), the project's ignored {@code models/} cache,
 * {@code ../shared/models} beside the project, and the download cache of {@code facestream models
 * fetch} ({@link ModelCache}). The project root is the {@code facestream.project.root} system
 * property, the {@code FACESTREAM_HOME} environment variable, or the nearest directory above the
 * working directory holding {@code models/manifest.json}.
 *
 * <p>The first file found is the one used: a file with the wrong checksum is an error, never
 * silently skipped, because a wrong model gives silently wrong answers.
 *
 * <p>A model derived from another ({@link ModelSpec#derivedFrom()}, e.g. the default detector, a
 * dynamic-size rewrite of the upstream RetinaFace file) that is found nowhere is derived on first
 * use by the {@link #standard} resolver, from its base file found on the same path, into the
 * project's ignored {@code models/} folder (else the {@link ModelCache}), exactly as {@code
 * facestream models fetch} would, sha256 checked: the derived files exist nowhere upstream and
 * {@code ../shared/models} is read-only.
 */
public final class ModelResolver {
    public static final String ENV_MODELS = "FACESTREAM_MODELS";

    private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);

    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

    private static final Object DERIVING = new Object();

    private final List<Path> searchPath;
    private final List<Path> deriveInto;

    /** A resolver that only looks ({@code models fetch} decides itself what to derive). */
    public ModelResolver(List<Path> searchPath) {
        this(searchPath, List.of());
    }

    /**
     * @param deriveInto where a missing derived model may be written, first that works first; empty
     *     to never derive
     */
    public ModelResolver(List<Path> searchPath, List<Path> deriveInto) {
        this.searchPath = List.copyOf(searchPath);
        this.deriveInto = List.copyOf(deriveInto);
    }

    /** The default search path, with {@code configuredDir} (may be null) first. */
    public static ModelResolver standard(String configuredDir) {
        List<Path> dirs = new ArrayList<>();
        List<Path> writable = new ArrayList<>();
        String first = configuredDir != null ? configuredDir : System.getenv(ENV_MODELS);
        if (first != null && !first.isBlank()) {
            dirs.add(Path.of(first));
        }
        projectRoot()
                .ifPresent(
                        root -> {
                            dirs.add(root.resolve("models"));
                            dirs.add(root.resolve("../shared/models").normalize());
                            writable.add(root.resolve("models"));
                        });
        // Last: what `facestream models fetch` downloaded, for a machine without ../shared.
        dirs.add(ModelCache.dir());
        writable.add(ModelCache.dir());
        return new ModelResolver(dirs, writable);
    }

    /** Where this resolver looks, in order. */
    public List<Path> searchPath() {
        return searchPath;
    }

    /** The verified path of the model's file. */
    public Path resolve(ModelSpec spec) {
        Path found = find(spec);
        if (found != null) {
            return found;
        }
        RuntimeException deriving = null;
        if (spec.derivedFrom() != null && !deriveInto.isEmpty()) {
            try {
                return derive(spec);
            } catch (RuntimeException e) {
                deriving = e;
            }
        }
        ModelException missing = notFound(spec);
        if (deriving != null) {
            missing.addSuppressed(deriving);
        }
        throw missing;
    }

    private Path find(ModelSpec spec) {
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(spec.file());
            if (Files.isRegularFile(candidate)) {
                verify(spec, candidate);
                return candidate;
            }
        }
        return null;
    }

    /** Derives a missing model from its base (one derivation at a time in this JVM). */
    private Path derive(ModelSpec spec) {
        synchronized (DERIVING) {
            Path found = find(spec);
            if (found != null) {
                return found;
            }
            ModelSpec base = ModelManifest.bundled().get(spec.derivedFrom());
            Path baseFile = resolve(base);
            RuntimeException last = null;
            for (Path dir : deriveInto) {
                try {
                    Path file = new ModelFetcher(dir, null).derive(spec, baseFile);
                    LOG.info("derived model {} from {} into {}", spec.id(), baseFile, file);
                    return file;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            throw last;
        }
    }

    private ModelException notFound(ModelSpec spec) {
        StringBuilder msg =
                new StringBuilder("model '")
                        .append(spec.id())
                        .append("' (file ")
                        .append(spec.file())
                        .append(") not found; looked in:");
        if (searchPath.isEmpty()) {
            msg.append(" nowhere (set ").append(ENV_MODELS).append(")");
        }
        for (Path dir : searchPath) {
            msg.append("\n  ").append(dir.toAbsolutePath());
        }
        msg.append("\nThe file comes from: ")
                .append(spec.source())
                .append(" (sha256 ")
                .append(spec.sha256())
                .append("). Run `facestream models fetch` to download it, put it in one of these")
                .append(" directories or set ")
                .append(ENV_MODELS)
                .append(".");
        return new ModelException(msg.toString());
    }

    /** Checks a file against the manifest's sha256. */
    public static void verify(ModelSpec spec, Path file) {
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(spec.sha256())) {
            throw new ModelException(
                    "model '"
                            + spec.id()
                            + "' at "
                            + file.toAbsolutePath()
                            + " has sha256 "
                            + actual
                            + " but the manifest expects "
                            + spec.sha256()
                            + "; the file is corrupt or a different model. Expected source: "
                            + spec.source());
        }
    }

    static String sha256(Path file) {
        try {
            // Hashing a few MB costs tens of ms; every operator instance opening a model would pay
            // it again, so remember digests per (path, size, mtime).
            String key =
                    file.toAbsolutePath()
                            + "|"
                            + Files.size(file)
                            + "|"
                            + Files.getLastModifiedTime(file).toMillis();
            String cached = DIGESTS.get(key);
            if (cached != null) {
                return cached;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            DIGESTS.put(key, hex);
            return hex;
        } catch (IOException e) {
            throw new ModelException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The facestream project root, when this process runs inside a checkout. */
    public static Optional<Path> projectRoot() {
        String prop = System.getProperty("facestream.project.root");
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        String env = System.getenv("FACESTREAM_HOME");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("models/manifest.json"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
