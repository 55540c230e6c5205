package io.kobot.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production jar carries the job and its libraries only: no Kafka broker, no Scala, no Kafka test kit (those
 * belong to the demo's own jar), and it stays small. Runs after {@code package}, on the shaded {@code kobot.jar}.
 */
class KobotJarContentsIT {
    private static final long MAX_JAR_BYTES = 40L * 1024 * 1024;
    private static final List<String> FORBIDDEN_PREFIXES =
            List.of("kafka/server/", "scala/", "org/apache/kafka/common/test/");
    private static final int LARGEST_SHOWN = 15;

    private static Path jar;

    @BeforeAll
    static void locateJar() {
        jar = Path.of(System.getProperty("basedir", "."), "target", "kobot.jar");
        assertThat(jar).as("the shaded jar, built by the package phase").exists();
    }

    @Test
    void carriesNoBrokerScalaOrTestKit() throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> forbidden = zip.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> FORBIDDEN_PREFIXES.stream().anyMatch(name::startsWith))
                    .limit(20)
                    .toList();
            assertThat(forbidden)
                    .as("entries that belong to the demo jar, not the production jar")
                    .isEmpty();
        }
    }

    @Test
    void staysUnderTheSizeLimit() throws IOException {
        long size = Files.size(jar);
        assertThat(size)
                .as(
                        "kobot.jar is %,d bytes; largest contributors (compressed bytes by package):%n%s",
                        size, largestPackages())
                .isLessThanOrEqualTo(MAX_JAR_BYTES);
    }

    /** Compressed bytes per three-level package prefix, largest first: what to look at when the jar grows. */
    private static String largestPackages() throws IOException {
        Map<String, Long> bytesByPrefix = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream()
                    .filter(entry -> !entry.isDirectory())
                    .forEach(entry -> bytesByPrefix.merge(
                            prefix(entry.getName()), Math.max(entry.getCompressedSize(), 0), Long::sum));
        }
        return bytesByPrefix.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(LARGEST_SHOWN)
                .map(entry -> String.format("  %,12d  %s", entry.getValue(), entry.getKey()))
                .collect(Collectors.joining("\n"));
    }

    private static String prefix(String name) {
        String[] parts = name.split("/");
        int depth = Math.min(parts.length - 1, 3);
        return depth <= 0 ? name : String.join("/", List.of(parts).subList(0, depth)) + "/";
    }
}
