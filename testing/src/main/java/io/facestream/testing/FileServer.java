package io.facestream.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder served over HTTP on a free loopback port (the JDK's own server): {@code GET /name}
 * answers the file {@code name} with its length, anything else 404. Stands in for a model mirror or
 * an upstream host in download tests.
 */
public final class FileServer implements AutoCloseable {
    private final HttpServer server;

    private FileServer(HttpServer server) {
        this.server = server;
    }

    public static FileServer serve(Path root) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    Path file = root.resolve(exchange.getRequestURI().getPath().substring(1));
                    if (!file.normalize().startsWith(root) || !Files.isRegularFile(file)) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    exchange.sendResponseHeaders(200, Files.size(file));
                    try (OutputStream out = exchange.getResponseBody()) {
                        Files.copy(file, out);
                    }
                });
        server.start();
        return new FileServer(server);
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
