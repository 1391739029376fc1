package io.facestream.job;

import java.util.regex.Pattern;

/** Masks secrets in configuration values before they reach a log, an exception or the web UI. */
public final class Secrets {
    private static final Pattern SECRET_KEY =
            Pattern.compile(
                    "(?i).*(password|secret|sasl\\.jaas\\.config|token|credential|\\.key$).*");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@]*:)[^@]*@");

    private Secrets() {}

    public static String mask(String key, String value) {
        if (value == null) {
            return null;
        }
        if (SECRET_KEY.matcher(key).matches()) {
            return "******";
        }
        return URL_PASSWORD.matcher(value).replaceAll("$1******@");
    }
}
