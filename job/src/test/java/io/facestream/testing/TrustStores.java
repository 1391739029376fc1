package io.facestream.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Trust store files for the TLS configuration tests. */
public final class TrustStores {
    private TrustStores() {}

    /** An empty PKCS12 trust store at {@code file}, protected by {@code password}. */
    public static Path emptyPkcs12(Path file, String password)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }
}
