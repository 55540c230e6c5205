package io.kobot.devstack.kochava;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A response body that never ends: one byte of JSON white space per interval, until the client gives up and
 * closes the connection. The I/O thread is asked for output only when the next byte is due, so a tar-pit costs no
 * thread and no busy loop.
 */
final class TarPitBody implements AsyncEntityProducer {
    private static final byte[] ONE_BYTE = {' '};

    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private long nextByteAt = System.nanoTime();
    private ScheduledFuture<?> wakeUp;

    TarPitBody(ScheduledExecutorService scheduler, Duration interval) {
        this.scheduler = scheduler;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public synchronized int available() {
        return System.nanoTime() - nextByteAt >= 0 ? ONE_BYTE.length : 0;
    }

    @Override
    public synchronized void produce(DataStreamChannel channel) throws IOException {
        if (System.nanoTime() - nextByteAt >= 0 && channel.write(ByteBuffer.wrap(ONE_BYTE)) > 0) {
            nextByteAt = System.nanoTime() + intervalNanos;
        }
        if (wakeUp == null || wakeUp.isDone()) {
            long wait = Math.max(0, nextByteAt - System.nanoTime());
            wakeUp = scheduler.schedule(channel::requestOutput, wait, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public void failed(Exception cause) {
        releaseResources();
    }

    @Override
    public synchronized void releaseResources() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public String getContentType() {
        return ContentType.APPLICATION_JSON.toString();
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return true;
    }

    @Override
    public Set<String> getTrailerNames() {
        return Set.of();
    }
}
