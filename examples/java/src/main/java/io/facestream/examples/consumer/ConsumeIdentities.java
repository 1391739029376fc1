package io.facestream.examples.consumer;

import io.facestream.schema.FaceIdentity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the identity stream, one line per face:
 *
 * <pre>
 * java -cp ... io.facestream.examples.consumer.ConsumeIdentities \
 *     --bootstrap-servers localhost:9092 [--topic identities] [--group facestream-example] \
 *     [--wire-format avro|confluent] [--schema-registry-url URL] [--idle-timeout SECONDS]
 * </pre>
 *
 * With {@code --idle-timeout} it ends once it has read everything committed so far and nothing came
 * for that long; without, it runs until killed.
 */
public final class ConsumeIdentities {
    private ConsumeIdentities() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        String bootstrap = required(opts, "bootstrap-servers");
        String format = opts.getOrDefault("wire-format", "avro");
        IdentityDecoder decoder =
                switch (format) {
                    case "avro" -> IdentityDecoder.plainAvro();
                    case "confluent" ->
                            IdentityDecoder.confluent(required(opts, "schema-registry-url"));
                    default ->
                            throw new IllegalArgumentException(
                                    "--wire-format is avro or confluent, not " + format);
                };
        long idle = Long.parseLong(opts.getOrDefault("idle-timeout", "0"));
        try (IdentityConsumer consumer =
                new IdentityConsumer(
                        IdentityConsumer.properties(
                                bootstrap, opts.getOrDefault("group", "facestream-example")),
                        opts.getOrDefault("topic", "identities"),
                        decoder)) {
            int n = 0;
            if (idle > 0) {
                List<IdentityConsumer.Received> all =
                        consumer.readUntilIdle(Duration.ofSeconds(idle), Duration.ofDays(1));
                all.forEach(r -> System.out.println(line(r.identity())));
                n = all.size();
            } else {
                while (true) {
                    for (IdentityConsumer.Received r : consumer.poll(Duration.ofSeconds(1))) {
                        System.out.println(line(r.identity()));
                    }
                }
            }
            System.err.println(n + " identity records");
        }
    }

    /** The line printed for one face. */
    public static String line(FaceIdentity i) {
        return String.format(
                "%s frame=%d face=%d status=%s identity=%s similarity=%s track=%s",
                i.getCameraId(),
                i.getFrameSequence(),
                i.getFaceIndex(),
                i.getStatus(),
                i.getIdentity(),
                i.getSimilarity() == null ? "-" : String.format("%.3f", i.getSimilarity()),
                i.getTrackId());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
