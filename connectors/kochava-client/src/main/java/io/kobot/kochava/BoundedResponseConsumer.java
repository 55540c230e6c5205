package io.kobot.kochava;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;

/**
 * Reads a response body up to {@code cap} bytes. With a cap of 0 the body is read and dropped (pings: only the
 * status matters). With a positive cap, a body that goes on past it ends the exchange there, with a
 * {@link BodyCutException} carrying what was read; the connection is then closed rather than read to the end, so
 * a huge or endless body costs at most the cap (and what the socket buffers held).
 */
final class BoundedResponseConsumer extends AbstractBinResponseConsumer<BoundedResponse> {

    private static final int DISCARD_CHUNK = 8 * 1024;

    private final int cap;
    private HttpResponse head;
    private ByteArrayOutputStream body;
    /** Set once the attempt has ended without this exchange (its deadline passed, or the client closes). */
    private volatile boolean abandoned;

    BoundedResponseConsumer(int cap) {
        this.cap = cap;
    }

    /**
     * Thrown to stop reading a body past the cap; carries the response as read so far. A stream reset: over HTTP/2
     * it ends this exchange's stream only, not the connection that other exchanges share (over HTTP/1.1 the
     * connection is closed, as for any I/O error).
     */
    static final class BodyCutException extends HttpStreamResetException {
        private static final long serialVersionUID = 1L;
        private final transient BoundedResponse response;

        BodyCutException(BoundedResponse response) {
            super("response body longer than " + response.body().length + " bytes, not read further");
            this.response = response;
        }

        BoundedResponse response() {
            return response;
        }
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        head = response;
        body = new ByteArrayOutputStream(Math.min(cap, 1024));
    }

    @Override
    protected int capacityIncrement() {
        return cap == 0 ? DISCARD_CHUNK : cap + 1;
    }

    /**
     * Ends the exchange at its next byte: cancelling the client's future does not always stop a response that is
     * already streaming in, and a tar-pit would then keep the connection leased for as long as it trickles.
     */
    void abandon() {
        abandoned = true;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
        if (abandoned) {
            throw new HttpStreamResetException("response abandoned: the attempt already ended");
        }
        if (cap == 0) {
            src.position(src.limit());
            return;
        }
        int take = Math.min(src.remaining(), cap - body.size());
        byte[] chunk = new byte[take];
        src.get(chunk);
        body.write(chunk, 0, take);
        if (src.hasRemaining()) throw new BodyCutException(result(true));
    }

    @Override
    protected BoundedResponse buildResult() {
        return result(false);
    }

    @Override
    public void releaseResources() {
        body = null;
    }

    private BoundedResponse result(boolean cut) {
        Header retryAfter = head.getFirstHeader(HttpHeaders.RETRY_AFTER);
        byte[] bytes = body == null ? new byte[0] : body.toByteArray();
        return new BoundedResponse(head.getCode(), retryAfter == null ? null : retryAfter.getValue(), bytes, cut);
    }
}
