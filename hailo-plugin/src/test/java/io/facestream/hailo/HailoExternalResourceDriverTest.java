package io.facestream.hailo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DelegatingConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HailoExternalResourceDriverTest {

    @TempDir Path dev;

    @BeforeEach
    void fakeDevices() throws Exception {
        Files.createFile(dev.resolve("hailo0"));
        Files.createFile(dev.resolve("hailo1"));
        Files.createFile(dev.resolve("video0"));
    }

    @Test
    void listsEveryMatchingDeviceWithItsPathAndIndex() throws Exception {
        Set<? extends ExternalResourceInfo> infos =
                driverFor(dev + "/hailo*").retrieveResourceInfo(2);

        assertThat(infos)
                .extracting(i -> i.getProperty("path").orElseThrow())
                .containsExactly(
                        dev.resolve("hailo0").toString(), dev.resolve("hailo1").toString());
        assertThat(infos)
                .extracting(i -> i.getProperty("index").orElseThrow())
                .containsExactly("0", "1");
        assertThat(infos.iterator().next().getKeys()).containsExactly("path", "index");
    }

    @Test
    void offersOnlyTheAmountAskedFor() throws Exception {
        Set<? extends ExternalResourceInfo> infos =
                driverFor(dev + "/hailo*").retrieveResourceInfo(1);

        assertThat(infos)
                .extracting(i -> i.getProperty("path").orElseThrow())
                .containsExactly(dev.resolve("hailo0").toString());
    }

    @Test
    void ordersDeviceNumbersNumerically() throws Exception {
        Files.createFile(dev.resolve("hailo10"));
        Files.createFile(dev.resolve("hailo2"));

        assertThat(driverFor(dev + "/hailo*").retrieveResourceInfo(4))
                .extracting(i -> i.getProperty("path").orElseThrow())
                .containsExactly(
                        dev.resolve("hailo0").toString(),
                        dev.resolve("hailo1").toString(),
                        dev.resolve("hailo2").toString(),
                        dev.resolve("hailo10").toString());
    }

    @Test
    void failsNamingThePatternWhenNothingMatches() {
        String pattern = dev + "/hailo-missing*";

        assertThatThrownBy(() -> driverFor(pattern).retrieveResourceInfo(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(pattern)
                .hasMessageContaining("declares 1");
    }

    @Test
    void failsWhenFewerDevicesThanDeclared() {
        assertThatThrownBy(() -> driverFor(dev + "/hailo*").retrieveResourceInfo(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only 2 match '" + dev + "/hailo*'");
    }

    @Test
    void failsNamingThePatternWhenTheFolderIsMissing() {
        String pattern = dev.resolve("absent") + "/hailo*";

        assertThatThrownBy(() -> driverFor(pattern).retrieveResourceInfo(1))
                .hasMessageContaining(pattern);
    }

    @Test
    void defaultsToDevHailo() throws Exception {
        HailoExternalResourceDriver driver =
                (HailoExternalResourceDriver)
                        new HailoExternalResourceDriverFactory()
                                .createExternalResourceDriver(new Configuration());

        assertThat(driver.pattern()).isEqualTo("/dev/hailo*");
    }

    @Test
    void rejectsWildcardsInTheFolder() {
        assertThatThrownBy(() -> new HailoExternalResourceDriver("/dev/*/hailo*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/dev/*/hailo*");
    }

    /** Configures the driver the way a TaskManager does: only the resource's param.* keys. */
    private static ExternalResourceDriver driverFor(String pattern) throws Exception {
        Configuration tmConfig = new Configuration();
        tmConfig.setString("external-resource.hailo.param.device-pattern", pattern);
        return new HailoExternalResourceDriverFactory()
                .createExternalResourceDriver(
                        new DelegatingConfiguration(tmConfig, "external-resource.hailo.param."));
    }
}
