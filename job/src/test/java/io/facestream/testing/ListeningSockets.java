package io.facestream.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets a Linux process listens on, read from {@code /proc}: the socket inodes among its
 * open file descriptors, looked up in its network namespace's {@code net/tcp} and {@code net/tcp6}
 * tables (state {@code 0A}, LISTEN). What {@code ss -ltnp} shows, without needing {@code ss}.
 */
public final class ListeningSockets {
    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** The addresses {@code pid} listens on now; empty once it has exited. */
    public static Set<InetSocketAddress> of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(m.group(1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between listing and reading it
                }
            }
            Set<InetSocketAddress> listening = new HashSet<>();
            for (String table : List.of("net/tcp", "net/tcp6")) {
                for (String line : Files.readAllLines(proc.resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        listening.add(address(f[1]));
                    }
                }
            }
            return listening;
        } catch (IOException exited) {
            return Set.of();
        }
    }

    /**
     * {@code 0100007F:1F90} (IPv4) or 32 hex digits and a port (IPv6): the kernel prints the
     * address as 32-bit words in host (little-endian) order.
     */
    static InetSocketAddress address(String hex) throws IOException {
        String[] parts = hex.split(":");
        String ip = parts[0];
        byte[] bytes = new byte[ip.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(
                InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    }
}
