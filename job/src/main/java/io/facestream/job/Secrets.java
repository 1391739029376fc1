package io.facestream.job;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks secrets in configuration values before they reach a log, an exception or the web UI.
 *
 * <p>A value is masked whole when its key looks secret ({@link #isSecretKey}); any other value
 * still has the password of a URL's user info ({@code scheme://user:password@host}, up to the last
 * {@code @}, so a password containing {@code @} is masked whole) and any {@code password=...} of a
 * JAAS-style string masked, so a secret under an unexpected key does not escape either.
 */
public final class Secrets {
    public static final String MASK = "******";

    /** Parts of key names whose values are secrets. Over-masking a harmless value is the price. */
    private static final List<String> SECRET_KEY_PARTS =
            List.of(
                    "password",
                    "passwd",
                    "secret",
                    "token",
                    "credential",
                    "jaas",
                    "user.info",
                    "user-info",
                    "apikey",
                    "api-key",
                    "api.key",
                    "private");

    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^/\\s]*@");
    private static final Pattern JAAS_PASSWORD =
            Pattern.compile("(?i)(password\\s*=\\s*)(\"[^\"]*\"|[^\\s;\"]+)");

    private Secrets() {}

    /** Whether values of {@code key} are secrets and must never be shown. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(k::contains)
                || k.endsWith(".key")
                || k.endsWith("-key");
    }

    /** The value as it may be shown. */
    public static String mask(String key, String value) {
        if (value == null) {
            return null;
        }
        if (isSecretKey(key)) {
            return MASK;
        }
        String v = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
        return JAAS_PASSWORD.matcher(v).replaceAll("$1\"" + MASK + "\"");
    }
}
