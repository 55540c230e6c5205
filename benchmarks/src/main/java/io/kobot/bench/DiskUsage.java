package io.kobot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The bytes of the regular files under a directory, like {@code du -sb}. */
final class DiskUsage {
    private DiskUsage() {}

    static long of(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile)
                        .mapToLong(DiskUsage::size)
                        .sum();
            } catch (IOException | UncheckedIOException e) {
                // RocksDB deletes files as it compacts: walk again.
                if (attempt == 5) {
                    throw new IllegalStateException("Cannot measure " + dir, e);
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
