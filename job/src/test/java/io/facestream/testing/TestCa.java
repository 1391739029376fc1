package io.facestream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with {@code openssl} for the TLS tests: its certificate
 * and key, server certificates it signs (with subject alternative names, without which clients
 * refuse the host), PKCS12 trust stores that hold its certificate, and PKCS12 key stores that hold
 * a server's key and certificate chain (what a Java server such as a Kafka broker needs).
 *
 * @param cert the CA certificate (PEM)
 * @param key the CA's private key (PEM, unencrypted)
 */
public record TestCa(Path cert, Path key) {
    /** A server certificate and its unencrypted key, PEM files. */
    public record ServerCert(Path cert, Path key) {}

    /** A new CA in {@code dir}, valid for a day. */
    public static TestCa create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=" + name,
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
        return new TestCa(cert, key);
    }

    /**
     * A server certificate for {@code commonName} signed by this CA, naming {@code subjectAltNames}
     * (e.g. {@code DNS:localhost,IP:127.0.0.1}).
     */
    public ServerCert issue(Path dir, String commonName, String subjectAltNames)
            throws IOException {
        Files.createDirectories(dir);
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path ext = Files.writeString(dir.resolve("san.ext"), "subjectAltName=" + subjectAltNames);
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=" + commonName,
                "-keyout",
                key.toString(),
                "-out",
                csr.toString());
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                cert().toString(),
                "-CAkey",
                key().toString(),
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString());
        return new ServerCert(cert, key);
    }

    /** A PKCS12 trust store at {@code file} holding this CA's certificate. */
    public Path truststore(Path file, String password) throws IOException {
        try (InputStream in = Files.newInputStream(cert);
                OutputStream out = Files.newOutputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            ks.store(out, password.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write a trust store for " + cert, e);
        }
        return file;
    }

    /**
     * A PKCS12 key store at {@code file} holding {@code server}'s key and its certificate chain up
     * to this CA, under the alias {@code server}, with {@code password} for both store and key.
     */
    public Path keystore(ServerCert server, Path file, String password) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        openssl(
                dir,
                "pkcs12",
                "-export",
                "-name",
                "server",
                "-in",
                server.cert().toString(),
                "-inkey",
                server.key().toString(),
                "-certfile",
                cert.toString(),
                "-passout",
                "pass:" + password,
                "-out",
                file.toString());
        return file;
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
