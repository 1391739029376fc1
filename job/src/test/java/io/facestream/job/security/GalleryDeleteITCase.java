package io.facestream.job.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.testing.Cli;
import io.facestream.testing.LocalRedis;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code gallery delete} leaves nothing of the person in Redis: after enrolling the {@code people}
 * photos and deleting Obama, every key of the server is scanned; no key name, hash field or value,
 * vector-set element, attribute, neighbour link or embedding, nor the serialised ({@code DUMP})
 * form of any key, holds his name, his entry ids or one of his vectors. {@code gallery drop} then
 * leaves no key of the gallery at all.
 */
class GalleryDeleteITCase {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data")
                    .normalize();
    static final String GALLERY = "private";

    @Test
    void deleteRemovesEveryTraceOfThePersonAndDropRemovesTheGallery() {
        try (LocalRedis redis = LocalRedis.start();
                RedisClient r = RedisClient.create(URI.create(redis.url()))) {
            Cli enrol =
                    Cli.run(
                            "enroll",
                            "--redis",
                            redis.url(),
                            "-g",
                            GALLERY,
                            DATA.resolve("people/gallery").toString());
            assertThat(enrol.rc()).as(enrol.err()).isZero();
            String set = "facestream:gallery:{" + GALLERY + "}";
            Map<String, String> entries = r.hgetAll(set + ":entries");
            List<String> ids = new ArrayList<>();
            entries.forEach(
                    (id, who) -> (who.equals("obama") ? ids : new ArrayList<String>()).add(id));
            assertThat(ids).hasSize(4);
            Map<String, List<Double>> vectors = new HashMap<>();
            ids.forEach(id -> vectors.put(id, r.vemb(set, id)));
            // Uncompressed DUMPs, so a name inside a serialised key is visible as bytes.
            r.sendCommand(Protocol.Command.CONFIG, "SET", "rdbcompression", "no");
            assertThat(tracesOf(r, "obama", ids, vectors))
                    .as("the checks see him before the delete")
                    .isNotEmpty();

            Cli delete =
                    Cli.run("gallery", "delete", "--redis", redis.url(), "-g", GALLERY, "obama");
            assertThat(delete.rc()).as(delete.err()).isZero();
            assertThat(delete.out()).contains("obama: 4 entries deleted");

            assertThat(tracesOf(r, "obama", ids, vectors)).isEmpty();
            assertThat(r.vcard(set)).isEqualTo(11);
            Cli list = Cli.run("gallery", "list", "--redis", redis.url(), "-g", GALLERY);
            assertThat(list.out()).doesNotContain("obama").contains("5 identities, 11 entries");

            Cli drop = Cli.run("gallery", "drop", "--redis", redis.url(), "-g", GALLERY);
            assertThat(drop.rc()).isZero();
            assertThat(allKeys(r)).noneMatch(k -> k.contains("{" + GALLERY + "}"));
        }
    }

    /** Every place the person still appears, as readable descriptions; empty when none. */
    static List<String> tracesOf(
            RedisClient r, String name, List<String> ids, Map<String, List<Double>> vectors) {
        List<String> found = new ArrayList<>();
        List<String> needles = new ArrayList<>(ids);
        needles.add(name);
        for (String key : allKeys(r)) {
            if (containsAny(key, needles)) {
                found.add("key name " + key);
            }
            byte[] dump = r.dump(key);
            String serialised = new String(dump, StandardCharsets.ISO_8859_1);
            if (containsAny(serialised, needles)) {
                found.add("DUMP of " + key);
            }
            String type = r.type(key);
            switch (type) {
                case "hash" ->
                        r.hgetAll(key)
                                .forEach(
                                        (f, v) -> {
                                            if (containsAny(f + "=" + v, needles)) {
                                                found.add("hash " + key + " field " + f);
                                            }
                                        });
                case "string" -> {
                    if (containsAny(r.get(key), needles)) {
                        found.add("string " + key);
                    }
                }
                case "vectorset" -> {
                    long card = r.vcard(key);
                    List<String> elements = r.vrandmember(key, (int) card + 10);
                    assertThat(elements).hasSize((int) card);
                    for (String id : ids) {
                        List<Double> v = r.vemb(key, id);
                        if (v != null && !v.isEmpty()) {
                            found.add("VEMB " + key + " " + id);
                        }
                    }
                    for (String e : elements) {
                        if (ids.contains(e)) {
                            found.add("element " + e + " of " + key);
                        }
                        if (containsAny(String.valueOf(r.vgetattr(key, e)), needles)) {
                            found.add("VGETATTR " + key + " " + e);
                        }
                        for (List<String> level : r.vlinks(key, e)) {
                            if (level.stream().anyMatch(ids::contains)) {
                                found.add("VLINKS " + key + " " + e);
                            }
                        }
                        List<Double> v = r.vemb(key, e);
                        for (List<Double> his : vectors.values()) {
                            if (close(v, his)) {
                                found.add("VEMB of " + e + " equals one of his vectors");
                            }
                        }
                    }
                }
                default -> found.add("unexpected " + type + " key " + key);
            }
        }
        return found;
    }

    static Set<String> allKeys(RedisClient r) {
        Set<String> keys = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = r.scan(cursor, new ScanParams().match("*").count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    private static boolean containsAny(String s, List<String> needles) {
        return s != null && needles.stream().anyMatch(s::contains);
    }

    private static boolean close(List<Double> a, List<Double> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Math.abs(a.get(i) - b.get(i)) > 1e-6) {
                return false;
            }
        }
        return true;
    }
}
