package io.facestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The latest completed checkpoint of a job, from the local MiniCluster's REST API (what the web UI
 * shows): its id, its full state size, and the state size of the job vertices whose name contains a
 * given operator name (the tracker's keyed state: tracks, pending frames, timers).
 *
 * @param id checkpoint id, -1 when none completed yet
 * @param bytes full state size of the checkpoint
 * @param operatorBytes state size of the matching vertices
 */
record CheckpointStats(long id, long bytes, long operatorBytes) {
    static final CheckpointStats NONE = new CheckpointStats(-1, -1, -1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Reads the stats of job {@code jobId} from {@code http://127.0.0.1:port}. */
    static CheckpointStats read(int port, String jobId, String operator)
            throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port + "/jobs/" + jobId;
        JsonNode latest = get(base + "/checkpoints").path("latest").path("completed");
        if (latest.isMissingNode() || latest.isNull()) {
            return NONE;
        }
        long id = latest.path("id").asLong(-1);
        long bytes = latest.path("state_size").asLong(-1);
        long operatorBytes = 0;
        JsonNode tasks = get(base + "/checkpoints/details/" + id).path("tasks");
        for (JsonNode vertex : get(base).path("vertices")) {
            String name = vertex.path("name").asText().toLowerCase(Locale.ROOT);
            if (name.contains(operator)) {
                operatorBytes += tasks.path(vertex.path("id").asText()).path("state_size").asLong();
            }
        }
        return new CheckpointStats(id, bytes, operatorBytes);
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
