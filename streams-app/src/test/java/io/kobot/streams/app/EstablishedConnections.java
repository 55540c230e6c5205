package io.kobot.streams.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * This JVM's established TCP connections to a port, as Linux lists them: the sockets among the process's file
 * descriptors ({@code /proc/self/fd}) that {@code /proc/net/tcp} and {@code tcp6} show ESTABLISHED with that remote
 * port. What the application really holds open, whichever library opened it.
 */
final class EstablishedConnections {
    private static final String ESTABLISHED = "01";
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private EstablishedConnections() {}

    /** The socket inodes of this process's established connections to {@code remotePort}. */
    static Set<Long> to(int remotePort) {
        Set<Long> own = ownSockets();
        Set<Long> connections = new HashSet<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = read(table);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                String remote = fields[2];
                int port = Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1), 16);
                long inode = Long.parseLong(fields[9]);
                if (port == remotePort && ESTABLISHED.equals(fields[3]) && own.contains(inode)) {
                    connections.add(inode);
                }
            }
        }
        return connections;
    }

    private static Set<Long> ownSockets() {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed since the listing
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    private static List<String> read(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
