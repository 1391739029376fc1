package io.facestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.gallery.RedisTls;
import io.facestream.job.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The CLI's Redis trust store options become the {@link RedisTls} its own clients use and the
 * {@code redis.tls.*} keys of the jobs it starts ({@code demo}, {@code replay}), so both verify the
 * server the same way.
 */
class RedisMixinTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin RedisMixin redis = new RedisMixin();
    }

    static JobConfig job(RedisMixin m) {
        List<String> sets = new ArrayList<>(m.jobSettings());
        sets.add("source.uris=cam=clip.mp4");
        return JobConfig.load(null, sets);
    }

    static RedisMixin parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.redis;
    }

    @Test
    void trustStoreOptionsReachTheClientAndTheJobAlike() {
        RedisMixin m =
                parse(
                        "--redis",
                        "rediss://redis.example:6380",
                        "--redis-truststore",
                        "certs/ca.jks",
                        "--redis-truststore-password",
                        "trust-s3cret",
                        "--redis-truststore-type",
                        "JKS");
        RedisTls tls = m.tls();
        assertThat(tls.truststore()).isEqualTo(Path.of("certs/ca.jks").toAbsolutePath().toString());
        assertThat(tls.truststorePassword()).isEqualTo("trust-s3cret");
        assertThat(tls.truststoreType()).isEqualTo("JKS");
        JobConfig job = job(m);
        assertThat(job.redisTls()).isEqualTo(tls);
        assertThat(job.lookupSettings().tls()).isEqualTo(tls);
        assertThat(job.toString()).doesNotContain("trust-s3cret");
        assertThat(job.lookupSettings().toString()).doesNotContain("trust-s3cret");
    }

    @Test
    void withoutOptionsTheJvmTrustApplies() {
        RedisMixin m = parse();
        assertThat(m.tls().truststore()).isNull();
        // The password's default is the environment variable, unset in the build.
        assertThat(m.tls().truststorePassword())
                .isEqualTo(System.getenv(RedisMixin.TRUSTSTORE_PASSWORD_ENV));
        assertThat(job(m).redisTls()).isEqualTo(RedisTls.JVM_DEFAULT);
    }
}
