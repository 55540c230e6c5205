package io.kobot.kochava;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/1.1 server over TLS (a thread per connection) that waits {@code handshakeDelayMillis} after accepting a
 * connection before it starts the TLS handshake, and counts the connections in that wait. The client's connect of
 * such a connection cannot end before the server starts its handshake, so the count is at most the number of
 * connections the client is opening at that moment. Every request is answered 200 {@code {"success":"1"}}, after
 * {@code answerDelayMillis}.
 */
final class SlowHandshakeServer implements AutoCloseable {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15\r\n\r\n{\"success\":\"1\"}")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final SSLContext tls;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "slow-handshake-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger waitingForHandshake = new AtomicInteger();
    private final AtomicInteger mostWaitingForHandshake = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long handshakeDelayMillis;
    private volatile long answerDelayMillis;

    SlowHandshakeServer(SSLContext tls, long handshakeDelayMillis) throws IOException {
        this.tls = tls;
        this.handshakeDelayMillis = handshakeDelayMillis;
        this.listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptAll);
    }

    String url(String path) {
        return "https://localhost:" + listener.getLocalPort() + path;
    }

    void handshakeDelay(long millis) {
        handshakeDelayMillis = millis;
    }

    void answerDelay(long millis) {
        answerDelayMillis = millis;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** The most connections that were accepted and waited for their handshake at the same time. */
    int mostWaitingForHandshake() {
        return mostWaitingForHandshake.get();
    }

    int requests() {
        return requests.get();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                connections.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            int now = waitingForHandshake.incrementAndGet();
            mostWaitingForHandshake.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(handshakeDelayMillis);
            } finally {
                waitingForHandshake.decrementAndGet();
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory()
                    .createSocket(socket, socket.getInetAddress().getHostAddress(), 0, true);
            secure.setUseClientMode(false);
            secure.startHandshake();
            InputStream in = new BufferedInputStream(secure.getInputStream());
            OutputStream out = secure.getOutputStream();
            while (readRequest(in)) {
                requests.incrementAndGet();
                Thread.sleep(answerDelayMillis);
                out.write(RESPONSE);
                out.flush();
            }
        } catch (SocketException e) {
            // The client closed or reset the connection.
        } catch (IOException e) {
            // A handshake the client gave up on, or a connection it closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one request (its head and its Content-Length body); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            int b = in.read();
            if (b < 0) return false;
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
        }
        return in.readNBytes(length).length == length;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connections.shutdownNow();
    }
}
