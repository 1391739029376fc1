package io.facestream.deploy;

import io.facestream.testing.ForkedJvm;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * The configuration keys a class declares as {@code static ConfigOption} constants, and every key
 * the job knows: those of each main source file (job and udf) that calls {@code
 * ConfigOptions.key(...)}, found by scanning the sources so a new options holder is never missed.
 */
final class OptionKeys {
    private OptionKeys() {}

    static List<String> of(Class<?> holder) throws IllegalAccessException {
        List<String> keys = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && ConfigOption.class.isAssignableFrom(f.getType())) {
                f.setAccessible(true);
                ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                keys.add(o.key());
                o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
            }
        }
        return keys;
    }

    static List<String> job() throws Exception {
        List<String> keys = new ArrayList<>();
        for (String module : List.of("job", "udf")) {
            Path src = ForkedJvm.projectRoot().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (Files.readString(f).contains("ConfigOptions.key(")) {
                        String name =
                                src.relativize(f).toString().replace('/', '.').replace(".java", "");
                        keys.addAll(of(Class.forName(name)));
                    }
                }
            }
        }
        return keys;
    }
}
