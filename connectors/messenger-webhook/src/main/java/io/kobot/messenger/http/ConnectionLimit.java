package io.kobot.messenger.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections per server. HttpCore's classic server gives every connection a worker
 * thread of its own and sets no bound, so a flood of idle or slow connections (or a long broker outage while Meta
 * keeps retrying) would grow threads until the JVM cannot start one more. Past the limit, {@code accept} waits for
 * a connection to close: new clients wait in the kernel's backlog (and time out there), the ones already served
 * are unaffected, and the intake keeps running.
 */
final class ConnectionLimit extends ServerSocketFactory {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

    private final Semaphore permits;
    private final AtomicInteger open = new AtomicInteger();
    private final int max;
    private final ThrottledLog atLimit = new ThrottledLog(log, Duration.ofMinutes(1), System::nanoTime);

    ConnectionLimit(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /** Connections accepted and not closed yet. */
    int open() {
        return open.get();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new LimitedServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket socket = new LimitedServerSocket();
        socket.bind(new InetSocketAddress(port));
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        ServerSocket socket = new LimitedServerSocket();
        socket.bind(new InetSocketAddress(port), backlog);
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket socket = new LimitedServerSocket();
        socket.bind(new InetSocketAddress(address, port), backlog);
        return socket;
    }

    private final class LimitedServerSocket extends ServerSocket {
        LimitedServerSocket() throws IOException {}

        @Override
        public Socket accept() throws IOException {
            try {
                if (!permits.tryAcquire()) {
                    atLimit.warn("limit", 1, "All " + max + " connections are open: new ones wait until one closes");
                    permits.acquire();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while at the connection limit");
            }
            PermitSocket socket = new PermitSocket();
            try {
                implAccept(socket);
            } catch (IOException | RuntimeException e) {
                permits.release();
                throw e;
            }
            open.incrementAndGet();
            return socket;
        }
    }

    /** An accepted connection: gives its permit back once, on the first close. */
    private final class PermitSocket extends Socket {
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public synchronized void close() throws IOException {
            try {
                super.close();
            } finally {
                release();
            }
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
                permits.release();
            }
        }
    }
}
