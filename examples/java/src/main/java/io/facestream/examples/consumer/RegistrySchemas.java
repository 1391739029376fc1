package io.facestream.examples.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.avro.Schema;

/**
 * Fetches writer schemas by id from a schema registry's Confluent-compatible REST API ({@code GET
 * /schemas/ids/{id}}; Confluent Schema Registry, or Apicurio's {@code /apis/ccompat/v7}). A plain
 * HTTP client is all it takes; add authentication headers here if the registry needs them.
 */
final class RegistrySchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RegistrySchemas(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    Schema schema(int id) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id))
                        .header("Accept", "application/vnd.schemaregistry.v1+json")
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching schema id " + id, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(
                    "schema id "
                            + id
                            + ": "
                            + url
                            + " answered HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        return new Schema.Parser().parse(answer.path("schema").asText());
    }
}
