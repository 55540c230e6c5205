package io.kobot.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A Kochava stand-in on loopback, built to cost the machine as little as possible so that it measures the client
 * and not itself: one thread, non-blocking, keep-alive HTTP/1.1 with {@code Content-Length} bodies (what both
 * HTTP clients here send). {@code POST /track/json} answers {@code {"success":"1"}} and a GET (a tracking URL)
 * answers 200.
 *
 * <p>Each request is counted against its interaction id in the current {@link ReceiptTally}: for an event the
 * {@code "id"} that the workload put first in {@code event_data} (several in an array body), for a ping the
 * number after {@code /ping/} in its path.
 *
 * <p>With a latency of N ms, every response is sent N ms after its request arrived, as a remote Kochava would answer
 * after a round trip: the response is queued with its due time and written by the same thread once due (the delay
 * is the same for all, so the queue is in due order); the thread never sleeps on a response, and keeps reading
 * other connections' requests meanwhile. The request is counted when it arrives.
 */
final class LoopbackReceiver implements AutoCloseable {
    /**
     * The host name tracking URLs and the endpoint name: a name, as kochava.ping.allowed-hosts takes no IP address.
     * It resolves to loopback, so every delivering phase sets kochava.allow-private-addresses=true explicitly.
     */
    static final String HOST = "localhost";

    static final String TRACK_PATH = "/track/json";
    static final String PING_PATH = "/ping/";
    private static final byte[] POST_RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 15\r\n\r\n{\"success\":\"1\"}")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EVENT_DATA = "\"event_data\":";
    private static final String ID = "\"id\":\"";

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread loop;
    private final long latencyNanos;
    /** Responses waiting for their due time, in due order (one constant delay). */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private volatile ReceiptTally tally = new ReceiptTally(0, 0);
    private volatile boolean running = true;

    private record Pending(long dueNanos, Connection connection, SelectionKey key, byte[] response) {}

    private LoopbackReceiver(ServerSocketChannel server, Selector selector, long latencyMs) {
        this.server = server;
        this.selector = selector;
        this.latencyNanos = TimeUnit.MILLISECONDS.toNanos(latencyMs);
        this.loop = new Thread(this::serve, "loopback-receiver");
        loop.setDaemon(true);
    }

    static LoopbackReceiver start() throws IOException {
        return start(0);
    }

    /** @param latencyMs how long after its request each response is sent; 0 answers at once */
    static LoopbackReceiver start(long latencyMs) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        LoopbackReceiver receiver = new LoopbackReceiver(server, selector, latencyMs);
        receiver.loop.start();
        return receiver;
    }

    URI baseUri() {
        return URI.create("http://" + HOST + ":" + server.socket().getLocalPort() + "/");
    }

    URI trackEndpoint() {
        return baseUri().resolve(TRACK_PATH);
    }

    /** Counts what arrives from now on in {@code next}. */
    void countInto(ReceiptTally next) {
        tally = next;
    }

    private void serve() {
        while (running) {
            try {
                selector.select(selectTimeoutMillis());
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (key.isAcceptable()) {
                            accept();
                        } else {
                            ((Connection) key.attachment()).ready(key);
                        }
                    } catch (IOException | RuntimeException e) {
                        key.cancel();
                        key.channel().close();
                    }
                }
                sendDue();
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException("The loopback receiver failed", e);
                }
            }
        }
    }

    /** Until the next response is due, at most 100 ms; 0 would block, so at least 1 ms. */
    private long selectTimeoutMillis() {
        Pending next = pending.peekFirst();
        if (next == null) {
            return 100;
        }
        long waitNanos = next.dueNanos() - System.nanoTime();
        return Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
    }

    /** Writes every response whose time has come. */
    private void sendDue() throws IOException {
        long now = System.nanoTime();
        while (!pending.isEmpty() && pending.peekFirst().dueNanos() - now <= 0) {
            Pending due = pending.pollFirst();
            if (!due.key().isValid()) {
                continue; // the client closed the connection meanwhile
            }
            try {
                due.connection().out.put(due.response());
                due.connection().flush(due.key());
            } catch (IOException | RuntimeException e) {
                due.key().cancel();
                due.key().channel().close();
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel = server.accept();
        if (channel != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Connection(channel));
        }
    }

    /** One keep-alive connection: bytes in until a whole request is there, its response out. */
    private final class Connection {
        private final SocketChannel channel;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private final ByteBuffer out = ByteBuffer.allocate(64 * 1024);

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void ready(SelectionKey key) throws IOException {
            if (key.isReadable() && channel.read(in) < 0) {
                key.cancel();
                channel.close();
                return;
            }
            while (handleOne(key)) {
                // every complete request in the buffer is answered (or its answer scheduled)
            }
            flush(key);
        }

        /** Answers the first request in {@code in} if it is complete. */
        private boolean handleOne(SelectionKey key) {
            byte[] bytes = in.array();
            int headerEnd = indexOf(bytes, in.position(), "\r\n\r\n");
            if (headerEnd < 0) {
                growIfFull();
                return false;
            }
            String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
            int length = contentLength(head);
            int total = headerEnd + 4 + length;
            if (in.position() < total) {
                growIfFull();
                return false;
            }
            long now = System.currentTimeMillis();
            if (head.startsWith("POST")) {
                countEvents(new String(bytes, headerEnd + 4, length, StandardCharsets.ISO_8859_1), now);
                respond(key, POST_RESPONSE);
            } else {
                int path = head.indexOf(' ') + 1;
                count(head.startsWith(PING_PATH, path) ? parseId(head, path + PING_PATH.length()) : -1, now);
                respond(key, GET_RESPONSE);
            }
            in.flip().position(total);
            in.compact();
            return true;
        }

        private void respond(SelectionKey key, byte[] response) {
            if (latencyNanos == 0) {
                out.put(response);
            } else {
                pending.addLast(new Pending(System.nanoTime() + latencyNanos, this, key, response));
            }
        }

        private void growIfFull() {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
        }

        private void flush(SelectionKey key) throws IOException {
            out.flip();
            channel.write(out);
            out.compact();
            key.interestOps(out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private static int contentLength(String head) {
        int at = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int from = at + "\r\ncontent-length:".length();
        int end = head.indexOf('\r', from);
        return Integer.parseInt(
                head.substring(from, end < 0 ? head.length() : end).trim());
    }

    /** One event per object; an array body (kochava.body-mode=array) holds several. */
    private void countEvents(String body, long now) {
        int from = body.indexOf(EVENT_DATA);
        if (from < 0) {
            tally.unattributed();
        }
        while (from >= 0) {
            int start = body.indexOf(ID, from);
            count(start < 0 ? -1 : parseId(body, start + ID.length()), now);
            from = body.indexOf(EVENT_DATA, from + EVENT_DATA.length());
        }
    }

    private void count(int id, long now) {
        if (id < 0) {
            tally.unattributed();
        } else {
            tally.received(id, now);
        }
    }

    /** The decimal number starting at {@code from}; -1 if there is none. */
    private static int parseId(String text, int from) {
        int id = 0;
        int i = from;
        for (; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            id = id * 10 + (text.charAt(i) - '0');
        }
        return i == from ? -1 : id;
    }

    private static int indexOf(byte[] bytes, int limit, String pattern) {
        outer:
        for (int i = 0; i + pattern.length() <= limit; i++) {
            for (int j = 0; j < pattern.length(); j++) {
                if (bytes[i + j] != pattern.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        selector.wakeup();
        loop.join();
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
