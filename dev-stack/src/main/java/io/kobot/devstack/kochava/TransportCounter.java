package io.kobot.devstack.kochava;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;

/**
 * What the stand-in's transport carried: the connections open now and the requests served over each HTTP version,
 * so that a run can show it used the protocol it meant to (and how many connections the client held).
 */
public final class TransportCounter {
    /** Sessions by id, added on their first event: TLS sessions do not all report {@code connected}. */
    private final Set<String> open = ConcurrentHashMap.newKeySet();

    private final AtomicInteger mostOpen = new AtomicInteger();
    private final LongAdder http1 = new LongAdder();
    private final LongAdder http2 = new LongAdder();

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** The most connections open at once since start. */
    public int mostOpenConnections() {
        return mostOpen.get();
    }

    /** Requests served over HTTP/1.x, control requests included. */
    public long http1Requests() {
        return http1.sum();
    }

    /** Requests served over HTTP/2, control requests included. */
    public long http2Requests() {
        return http2.sum();
    }

    /** Counts each request by the protocol version it came with (as the first step of request processing). */
    HttpRequestInterceptor requests() {
        return (HttpRequest request, EntityDetails entity, HttpContext context) -> {
            ProtocolVersion version = context.getProtocolVersion();
            if (version != null && version.getMajor() >= 2) {
                http2.increment();
            } else {
                http1.increment();
            }
        };
    }

    /**
     * Counts connections from the I/O reactor's session events: a session is open from its first event (connected,
     * TLS started, or the first input) until it is disconnected.
     */
    IOSessionListener connections() {
        return new IOSessionListener() {
            @Override
            public void connected(IOSession session) {
                opened(session);
            }

            @Override
            public void startTls(IOSession session) {
                opened(session);
            }

            @Override
            public void inputReady(IOSession session) {
                opened(session);
            }

            @Override
            public void disconnected(IOSession session) {
                open.remove(session.getId());
            }

            @Override
            public void outputReady(IOSession session) {}

            @Override
            public void timeout(IOSession session) {}

            @Override
            public void exception(IOSession session, Exception cause) {}
        };
    }

    private void opened(IOSession session) {
        if (session.isOpen() && open.add(session.getId())) {
            mostOpen.accumulateAndGet(open.size(), Math::max);
        }
    }
}
