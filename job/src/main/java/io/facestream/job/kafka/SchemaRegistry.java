package io.facestream.job.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A client of a schema registry's Confluent-compatible REST API (Confluent Schema Registry,
 * Apicurio's {@code /apis/ccompat/v7}, karapace): registers Avro schemas under subjects and fetches
 * schemas by id, caching both. Serializable with its settings; the HTTP client is created on first
 * use. Errors name the registry URL (never the credentials) and what was asked.
 */
public final class SchemaRegistry implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryOptions options;
    private transient HttpClient http;
    private transient Map<Integer, Schema> byId;

    public SchemaRegistry(SchemaRegistryOptions options) {
        this.options = options;
    }

    /** No schema under this id: the record was written against another registry, or corrupt. */
    public static final class UnknownSchemaException extends IOException {
        UnknownSchemaException(String message) {
            super(message);
        }
    }

    /**
     * Registers {@code schema} under {@code subject} (a no-op when it is there) and gives its id.
     */
    public int register(String subject, Schema schema) throws IOException {
        String body =
                JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema.toString()));
        JsonNode answer = call("POST", "/subjects/" + subject + "/versions", body, subject);
        return answer.get("id").asInt();
    }

    /**
     * The schema with this id, cached; {@link UnknownSchemaException} when the registry has none.
     */
    public Schema schema(int id) throws IOException {
        if (byId == null) {
            byId = new ConcurrentHashMap<>();
        }
        Schema known = byId.get(id);
        if (known != null) {
            return known;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null, "schema id " + id);
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        byId.put(id, schema);
        return schema;
    }

    /** Fails with the reason unless the registry answers ({@code GET /subjects}). */
    public void check() throws IOException {
        call("GET", "/subjects", null, "its subjects");
    }

    private JsonNode call(String method, String path, String body, String what) throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(options.url() + path))
                        .timeout(options.timeout())
                        .header("Accept", "application/vnd.schemaregistry.v1+json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
        }
        if (options.userInfo() != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            options.userInfo().getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the schema registry", e);
        } catch (IOException e) {
            throw new IOException(
                    "the schema registry at "
                            + options.url()
                            + " (schema-registry.url) did not answer for "
                            + what
                            + ": "
                            + e,
                    e);
        }
        if (response.statusCode() == 404 && path.startsWith("/schemas/ids/")) {
            throw new UnknownSchemaException(
                    "schema id " + what.substring(10) + " is unknown to " + options.url());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "the schema registry at "
                            + options.url()
                            + " refused "
                            + method
                            + " "
                            + path
                            + " ("
                            + what
                            + "): HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpClient client() throws IOException {
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(options.timeout());
            if (options.truststore() != null) {
                b.sslContext(sslContext());
            }
            http = b.build();
        }
        return http;
    }

    private SSLContext sslContext() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(options.truststore()))) {
            KeyStore store = KeyStore.getInstance(options.truststoreType());
            char[] pw =
                    options.truststorePassword() == null
                            ? null
                            : options.truststorePassword().toCharArray();
            store.load(in, pw);
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "cannot load the schema registry trust store "
                            + options.truststore()
                            + " ("
                            + options.truststoreType()
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
