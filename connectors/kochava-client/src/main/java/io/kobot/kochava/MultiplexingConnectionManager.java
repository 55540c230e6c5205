package io.kobot.kochava;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.ConnectionHolder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.nio.ManagedAsyncClientConnection;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.command.RequestExecutionCommand;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.ConnPoolControl;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A connection manager that carries many exchanges at once over each HTTP/2 connection, in front of HttpClient's
 * pooling manager (which still opens, negotiates, pools and evicts every connection).
 *
 * <p>HttpClient 5.6 can share HTTP/2 connections too ({@code setMessageMultiplexing}, experimental), but it neither
 * bounds the connections nor the streams per connection, and an exchange that fails or is cancelled closes the
 * shared connection under every other stream on it: one request past its deadline would fail hundreds. Here:
 *
 * <ul>
 *   <li>a route is multiplexed once one of its connections turns out to speak HTTP/2 (ALPN, or prior knowledge);
 *       it then has at most {@code maxConnections} connections, each carrying at most {@code maxStreams} exchanges;
 *       further leases wait, in order, for a stream (bounded by the caller's deadline, which cancels the lease);</li>
 *   <li>a route that speaks HTTP/1.1 is left to the pool as it is: one exchange per connection;</li>
 *   <li>an exchange that ends badly on a shared connection resets its own stream only (the connection is closed by
 *       HttpCore itself when the connection is at fault); a connection where an exchange was given up before
 *       the server answered it (its deadline) takes no new exchanges and is closed once the others end.</li>
 *   <li>a new connection, HTTP/1.1 or HTTP/2, opens only once its route's {@link ConnectGate} lets it, so that a
 *       burst of leases does not start hundreds of TLS handshakes at once; a gate per route, so that a host slow to
 *       connect to holds up only its own requests, not those to other hosts (pings go to several);</li>
 *   <li>what it keeps per route is dropped once the pool has evicted the route's last connection and nothing
 *       waits for one, so hosts named once by a record do not add up.</li>
 * </ul>
 */
final class MultiplexingConnectionManager implements AsyncClientConnectionManager, ConnPoolControl<HttpRoute> {

    private final PoolingAsyncClientConnectionManager pool;
    private final int maxConnections;
    private final int maxStreams;
    private final int maxOpening;
    private final Executor handOver;
    private final ConcurrentMap<HttpRoute, Route> routes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param maxConnections HTTP/2 connections per route
     * @param maxStreams exchanges at once on one HTTP/2 connection
     * @param maxOpening connections being opened at once per route ({@link ConnectGate})
     * @param handOver where an open that waited at its gate starts (see {@link ConnectGate})
     */
    MultiplexingConnectionManager(
            PoolingAsyncClientConnectionManager pool,
            int maxConnections,
            int maxStreams,
            int maxOpening,
            Executor handOver) {
        this.pool = pool;
        this.maxConnections = maxConnections;
        this.maxStreams = maxStreams;
        this.maxOpening = maxOpening;
        this.handOver = handOver;
    }

    /** Connections being opened now, over all routes. */
    int opening() {
        int opening = 0;
        for (Route r : routes.values()) opening += r.connectGate.opening();
        return opening;
    }

    /** Connections waiting to be opened, over all routes. */
    int waitingToOpen() {
        int waiting = 0;
        for (Route r : routes.values()) waiting += r.connectGate.waiting();
        return waiting;
    }

    /** Routes kept now (each with its gate and waiters). */
    int routesKept() {
        return routes.size();
    }

    private Route route(HttpRoute route) {
        Route r = routes.computeIfAbsent(route, key -> new Route(key, new ConnectGate(maxOpening, handOver)));
        // A route first seen while the manager closes: its gate refuses opens too (closing a gate twice is harmless).
        if (closed) r.connectGate.close();
        return r;
    }

    /**
     * Forgets the routes that the pool holds no connection for (it drops a route with its last connection) and that
     * nothing here uses: pings go to any host the allowlist admits, and a host seen once must not stay for good. A
     * route seen again starts afresh (its protocol is learnt again from its first connection).
     */
    private void forgetIdleRoutes() {
        Set<HttpRoute> pooled = pool.getRoutes();
        for (Route r : routes.values()) {
            if (pooled.contains(r.route)) continue;
            synchronized (r) {
                if (!r.isIdle()) continue;
                // A lease that found it in the map before its removal sees the mark and looks again.
                r.forgotten = true;
            }
            routes.remove(r.route, r);
        }
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(
            String id,
            HttpRoute route,
            Object state,
            Timeout timeout,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        while (true) {
            Route r = route(route);
            Waiter waiter = new Waiter(r, id, state, timeout, callback);
            Shared shared;
            synchronized (r) {
                // Forgotten since the look-up (forgetIdleRoutes): look the route up again.
                if (r.forgotten) continue;
                shared = r.multiplexed == Boolean.TRUE ? r.freeStream() : null;
                if (shared == null && mustWait(r)) {
                    r.waiters.add(waiter);
                    return waiter;
                }
                if (shared == null) r.opening++;
            }
            if (shared != null) {
                if (!waiter.completed(new SharedEndpoint(shared))) release(shared);
            } else {
                leaseNew(r, waiter);
            }
            return waiter;
        }
    }

    /**
     * Whether a lease that found no free stream waits rather than taking a connection from the pool: while the
     * route's protocol is unknown and a connection is being opened (the first answer tells, so that a burst does not
     * open a connection per exchange to an HTTP/2 server), when its HTTP/2 connections are all there, or while one
     * of them is on its way back to the pool (the pool still counts it as leased, so it would open a new connection
     * beside it rather than hand it out again).
     */
    private boolean mustWait(Route r) {
        if (r.multiplexed == null) return r.opening > 0;
        return r.multiplexed && (r.returning > 0 || r.liveConnections() + r.opening >= maxConnections);
    }

    private void leaseNew(Route r, Waiter waiter) {
        Future<AsyncConnectionEndpoint> lease =
                pool.lease(waiter.id, r.route, waiter.state, waiter.timeout, new FutureCallback<>() {
                    @Override
                    public void completed(AsyncConnectionEndpoint endpoint) {
                        OwnEndpoint own = new OwnEndpoint(r, endpoint);
                        // A pooled connection is connected already, and its protocol known.
                        if (endpoint.isConnected()) own.connected();
                        if (!waiter.completed(own)) own.release(null, TimeValue.ZERO_MILLISECONDS);
                    }

                    @Override
                    public void failed(Exception e) {
                        openingEnded(r);
                        waiter.failed(e);
                    }

                    @Override
                    public void cancelled() {
                        openingEnded(r);
                        waiter.cancel();
                    }
                });
        waiter.dependOn(lease);
    }

    private void openingEnded(Route r) {
        synchronized (r) {
            r.opening--;
        }
        serveWaiters(r);
    }

    /** Hands free streams (or the right to take a connection from the pool) to waiting leases, in order. */
    private void serveWaiters(Route r) {
        while (true) {
            Waiter waiter;
            Shared shared;
            synchronized (r) {
                waiter = r.waiters.peek();
                if (waiter == null) return;
                shared = r.multiplexed == Boolean.TRUE ? r.freeStream() : null;
                if (shared == null && mustWait(r)) return;
                r.waiters.poll();
                if (shared == null) r.opening++;
            }
            if (shared != null) {
                if (!waiter.completed(new SharedEndpoint(shared))) release(shared);
            } else if (!waiter.isDone()) {
                leaseNew(r, waiter);
            } else {
                openingEnded(r);
            }
        }
    }

    /**
     * Takes no more exchanges on a connection where one was given up while its stream may still be open (the
     * server did not answer in time): HttpCore 5.4 resets such a stream only when a frame of it arrives, so it may
     * hold a stream slot for as long as the server likes. The connection is closed once its other exchanges end.
     */
    private void retire(Shared shared) {
        synchronized (shared.route) {
            shared.retired = true;
        }
        serveWaiters(shared.route);
    }

    /** Ends one exchange on a shared connection; the last one hands the connection back to the pool. */
    private void release(Shared shared) {
        Route r = shared.route;
        boolean last;
        boolean retired;
        synchronized (r) {
            shared.streams--;
            last = shared.streams == 0;
            retired = shared.retired;
            if (last) {
                r.shared.remove(shared);
                if (!retired) r.returning++;
            }
        }
        if (last && retired) {
            shared.endpoint.close(CloseMode.GRACEFUL);
            pool.release(shared.endpoint, null, TimeValue.ZERO_MILLISECONDS);
        } else if (last) {
            // An idle shared connection goes back to the pool, which evicts it when idle for long.
            try {
                pool.release(shared.endpoint, null, TimeValue.NEG_ONE_MILLISECOND);
            } finally {
                synchronized (r) {
                    r.returning--;
                }
            }
        }
        serveWaiters(r);
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object state, TimeValue keepAlive) {
        if (endpoint instanceof SharedEndpoint shared) {
            shared.release();
        } else if (endpoint instanceof OwnEndpoint own) {
            own.release(state, keepAlive);
        } else {
            pool.release(endpoint, state, keepAlive);
        }
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(
            AsyncConnectionEndpoint endpoint,
            ConnectionInitiator initiator,
            Timeout timeout,
            Object attachment,
            HttpContext context,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        if (!(endpoint instanceof OwnEndpoint own)) {
            // A shared connection that closed between its lease and its exchange: the exchange fails (and is retried).
            BasicFuture<AsyncConnectionEndpoint> result = new BasicFuture<>(callback);
            result.failed(new ConnectionClosedException("HTTP/2 connection closed"));
            return result;
        }
        GatedConnect connect = new GatedConnect(own, callback);
        // HttpClient cancels the connect through the exchange only when the lease before it waited.
        whenAbandoned(context, () -> connect.cancel(true));
        connect.entered(own.route.connectGate.enter(
                slot -> connect.start(slot, initiator, timeout, attachment, context), connect::failed));
        return connect;
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        upgrade(endpoint, attachment, context, null);
    }

    @Override
    public void upgrade(
            AsyncConnectionEndpoint endpoint,
            Object attachment,
            HttpContext context,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        // Only a connection of its own is upgraded (TLS through a proxy tunnel, before any exchange).
        if (!(endpoint instanceof OwnEndpoint own)) {
            if (callback != null) callback.failed(new ConnectionClosedException("HTTP/2 connection not upgradable"));
            return;
        }
        pool.upgrade(own.inner, attachment, context, new FutureCallback<>() {
            @Override
            public void completed(AsyncConnectionEndpoint upgraded) {
                if (callback != null) callback.completed(own);
            }

            @Override
            public void failed(Exception e) {
                if (callback != null) callback.failed(e);
            }

            @Override
            public void cancelled() {
                if (callback != null) callback.cancelled();
            }
        });
    }

    @Override
    public void close(CloseMode closeMode) {
        failWaiters();
        closeConnectGates();
        pool.close(closeMode);
    }

    @Override
    public void close() {
        failWaiters();
        closeConnectGates();
        pool.close();
    }

    private void closeConnectGates() {
        closed = true;
        for (Route r : routes.values()) r.connectGate.close();
    }

    private void failWaiters() {
        for (Route r : routes.values()) {
            List<Waiter> waiting;
            synchronized (r) {
                waiting = new ArrayList<>(r.waiters);
                r.waiters.clear();
            }
            waiting.forEach(Waiter::cancel);
        }
    }

    @Override
    public void setMaxTotal(int max) {
        pool.setMaxTotal(max);
    }

    @Override
    public int getMaxTotal() {
        return pool.getMaxTotal();
    }

    @Override
    public void setDefaultMaxPerRoute(int max) {
        pool.setDefaultMaxPerRoute(max);
    }

    @Override
    public int getDefaultMaxPerRoute() {
        return pool.getDefaultMaxPerRoute();
    }

    @Override
    public void setMaxPerRoute(HttpRoute route, int max) {
        pool.setMaxPerRoute(route, max);
    }

    @Override
    public int getMaxPerRoute(HttpRoute route) {
        return pool.getMaxPerRoute(route);
    }

    @Override
    public void closeIdle(TimeValue idleTime) {
        pool.closeIdle(idleTime);
        forgetIdleRoutes();
    }

    @Override
    public void closeExpired() {
        pool.closeExpired();
        forgetIdleRoutes();
    }

    @Override
    public Set<HttpRoute> getRoutes() {
        return pool.getRoutes();
    }

    @Override
    public PoolStats getTotalStats() {
        return pool.getTotalStats();
    }

    @Override
    public PoolStats getStats(HttpRoute route) {
        return pool.getStats(route);
    }

    /**
     * Starts an exchange on a shared connection as its own stream, with the means to cancel that stream (HttpCore
     * resets it at its next frame), which HttpClient 5.6 does not keep.
     */
    private static void startStream(
            AsyncConnectionEndpoint endpoint,
            String id,
            StreamResettingHandler handler,
            HandlerFactory<AsyncPushConsumer> pushHandlerFactory,
            HttpContext context) {
        HttpConnection connection = endpoint instanceof ConnectionHolder holder ? holder.get() : null;
        if (connection instanceof ManagedAsyncClientConnection managed) {
            context.setProtocolVersion(managed.getProtocolVersion());
            managed.submitCommand(
                    new RequestExecutionCommand(handler, pushHandlerFactory, handler.stream, context),
                    Command.Priority.NORMAL);
        } else {
            endpoint.execute(id, handler, pushHandlerFactory, context);
        }
    }

    /**
     * The client's own word that it gave up on the exchange (see {@link ExchangeAbandonment}): HttpClient 5.6 does
     * not always pass a cancellation on to the endpoint of an exchange already on the wire.
     */
    private static void whenAbandoned(HttpContext context, Runnable action) {
        if (context.getAttribute(ExchangeAbandonment.ATTRIBUTE) instanceof ExchangeAbandonment abandonment)
            abandonment.onAbandon(action);
    }

    private static boolean speaksHttp2(AsyncConnectionEndpoint endpoint) {
        EndpointInfo info = endpoint.getInfo();
        ProtocolVersion protocol = info == null ? null : info.getProtocol();
        return protocol != null && protocol.greaterEquals(HttpVersion.HTTP_2);
    }

    /** One route's HTTP/2 connections, guarded by the route's monitor, and the gate its connections open through. */
    private static final class Route {
        final HttpRoute route;
        final ConnectGate connectGate;
        final List<Shared> shared = new ArrayList<>();
        final Deque<Waiter> waiters = new ArrayDeque<>();
        /** Leases taken from the pool (or being taken) that are not shared: connecting, or HTTP/1.1. */
        int opening;
        /** Idle HTTP/2 connections no longer shared here and not yet back in the pool: leases wait for them. */
        int returning;
        /** Whether the route's last connection spoke HTTP/2; null until one has connected. */
        Boolean multiplexed;
        /** Taken out of the manager's map: a lease must not use it. */
        boolean forgotten;

        Route(HttpRoute route, ConnectGate connectGate) {
            this.route = route;
            this.connectGate = connectGate;
        }

        /** Nothing waits, opens, shares or returns a connection here. */
        boolean isIdle() {
            return waiters.isEmpty()
                    && shared.isEmpty()
                    && opening == 0
                    && returning == 0
                    && connectGate.opening() == 0
                    && connectGate.waiting() == 0;
        }

        /** Shared connections that take new exchanges (or will, once connected). */
        int liveConnections() {
            int live = 0;
            for (Shared candidate : shared) if (!candidate.retired) live++;
            return live;
        }

        /** The least busy open connection with a stream to spare, that stream taken; null when there is none. */
        Shared freeStream() {
            Shared best = null;
            for (Shared candidate : shared) {
                if (candidate.retired || candidate.streams >= candidate.maxStreams) continue;
                if (best != null && candidate.streams >= best.streams) continue;
                // Asked last: the connection's state sits behind a few volatile reads and a lock.
                if (candidate.endpoint.isConnected()) best = candidate;
            }
            if (best != null) best.streams++;
            return best;
        }
    }

    /** An HTTP/2 connection held by this manager, and how many exchanges it carries now. */
    private final class Shared {
        final Route route;
        final AsyncConnectionEndpoint endpoint;
        final int maxStreams = MultiplexingConnectionManager.this.maxStreams;
        int streams = 1;
        boolean retired;

        Shared(Route route, AsyncConnectionEndpoint endpoint) {
            this.route = route;
            this.endpoint = endpoint;
        }
    }

    /** A lease that may have to wait for a stream; cancelling it (the caller's deadline) gives up its place. */
    private final class Waiter extends BasicFuture<AsyncConnectionEndpoint> {
        private final Route route;
        final String id;
        final Object state;
        final Timeout timeout;
        private volatile Future<?> dependency;

        Waiter(
                Route route,
                String id,
                Object state,
                Timeout timeout,
                FutureCallback<AsyncConnectionEndpoint> callback) {
            super(callback);
            this.route = route;
            this.id = id;
            this.state = state;
            this.timeout = timeout;
        }

        void dependOn(Future<?> lease) {
            dependency = lease;
            if (isCancelled()) lease.cancel(true);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                synchronized (route) {
                    route.waiters.remove(this);
                }
                Future<?> lease = dependency;
                if (lease != null) lease.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }
    }

    /**
     * The connect of a connection of its own, through the {@link ConnectGate}. Cancelling it (the exchange's deadline)
     * takes it out of the gate's queue, or cancels the connect in progress, which gives the slot back.
     */
    private final class GatedConnect extends BasicFuture<AsyncConnectionEndpoint> {
        private final OwnEndpoint own;
        private volatile ConnectGate.Open open;
        private volatile Future<?> connecting;

        GatedConnect(OwnEndpoint own, FutureCallback<AsyncConnectionEndpoint> callback) {
            super(callback);
            this.own = own;
        }

        /** Its place at the gate, known once the gate let it start or queued it. */
        void entered(ConnectGate.Open open) {
            this.open = open;
            if (isCancelled()) open.cancel();
        }

        /** Connects, now that the gate gave it {@code slot}, which goes back when the connect ends, however. */
        void start(
                ConnectGate.Open slot,
                ConnectionInitiator initiator,
                Timeout timeout,
                Object attachment,
                HttpContext context) {
            if (isDone()) {
                // Cancelled while the slot was on its way.
                slot.release();
                return;
            }
            try {
                Future<AsyncConnectionEndpoint> running =
                        pool.connect(own.inner, initiator, timeout, attachment, context, new FutureCallback<>() {
                            @Override
                            public void completed(AsyncConnectionEndpoint connected) {
                                slot.release();
                                own.connected();
                                GatedConnect.this.completed(own);
                            }

                            @Override
                            public void failed(Exception e) {
                                slot.release();
                                GatedConnect.this.failed(e);
                            }

                            @Override
                            public void cancelled() {
                                slot.release();
                                GatedConnect.this.cancel();
                            }
                        });
                connecting = running;
                if (isCancelled()) running.cancel(true);
            } catch (RuntimeException e) {
                // A pool that is shutting down may refuse to connect instead of failing through the callback.
                slot.release();
                failed(e);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                ConnectGate.Open queued = open;
                if (queued != null) queued.cancel();
                Future<?> running = connecting;
                if (running != null) running.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }
    }

    /** One exchange's view of a shared HTTP/2 connection. */
    private final class SharedEndpoint extends AsyncConnectionEndpoint {
        private final Shared shared;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile StreamResettingHandler exchange;

        SharedEndpoint(Shared shared) {
            this.shared = shared;
        }

        @Override
        public void execute(
                String id,
                AsyncClientExchangeHandler handler,
                HandlerFactory<AsyncPushConsumer> pushHandlerFactory,
                HttpContext context) {
            StreamResettingHandler resetting = new StreamResettingHandler(handler);
            exchange = resetting;
            whenAbandoned(context, this::abandonExchange);
            startStream(shared.endpoint, id, resetting, pushHandlerFactory, context);
        }

        @Override
        public boolean isConnected() {
            return shared.endpoint.isConnected();
        }

        /** The socket timeout is the connection's, shared by all its exchanges: one exchange does not set it. */
        @Override
        public void setSocketTimeout(Timeout timeout) {}

        @Override
        public EndpointInfo getInfo() {
            return shared.endpoint.getInfo();
        }

        /**
         * HttpClient closes the endpoint of every exchange that fails; on a shared connection only the exchange's
         * stream ends (at its next frame).
         */
        @Override
        public void close(CloseMode closeMode) {
            abandonExchange();
        }

        void release() {
            if (!released.compareAndSet(false, true)) return;
            abandonExchange();
            MultiplexingConnectionManager.this.release(shared);
        }

        private void abandonExchange() {
            StreamResettingHandler running = exchange;
            if (running != null && running.abandon()) retire(shared);
        }
    }

    /** A connection leased from the pool for one exchange: HTTP/1.1, or HTTP/2 that becomes shared once known. */
    private final class OwnEndpoint extends AsyncConnectionEndpoint {
        private final Route route;
        private final AsyncConnectionEndpoint inner;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile Shared shared;
        private volatile StreamResettingHandler exchange;

        OwnEndpoint(Route route, AsyncConnectionEndpoint inner) {
            this.route = route;
            this.inner = inner;
        }

        /** Learns the route's protocol; an HTTP/2 connection is then shared with the exchanges that wait for it. */
        void connected() {
            boolean http2 = speaksHttp2(inner);
            synchronized (route) {
                route.multiplexed = http2;
                if (http2) {
                    route.opening--;
                    Shared added = new Shared(route, inner);
                    route.shared.add(added);
                    shared = added;
                }
            }
            serveWaiters(route);
        }

        @Override
        public void execute(
                String id,
                AsyncClientExchangeHandler handler,
                HandlerFactory<AsyncPushConsumer> pushHandlerFactory,
                HttpContext context) {
            if (shared == null) {
                inner.execute(id, handler, pushHandlerFactory, context);
                return;
            }
            StreamResettingHandler resetting = new StreamResettingHandler(handler);
            exchange = resetting;
            whenAbandoned(context, this::abandonExchange);
            startStream(inner, id, resetting, pushHandlerFactory, context);
        }

        @Override
        public boolean isConnected() {
            return inner.isConnected();
        }

        @Override
        public void setSocketTimeout(Timeout timeout) {
            if (shared == null) inner.setSocketTimeout(timeout);
        }

        @Override
        public EndpointInfo getInfo() {
            return inner.getInfo();
        }

        @Override
        public void close(CloseMode closeMode) {
            if (shared == null) inner.close(closeMode);
            else abandonExchange();
        }

        void release(Object state, TimeValue keepAlive) {
            if (!released.compareAndSet(false, true)) return;
            Shared now = shared;
            if (now != null) {
                abandonExchange();
                MultiplexingConnectionManager.this.release(now);
            } else {
                pool.release(inner, state, keepAlive);
                openingEnded(route);
            }
        }

        private void abandonExchange() {
            StreamResettingHandler running = exchange;
            if (running != null && running.abandon() && shared != null) retire(shared);
        }
    }

    /**
     * Passes an exchange through, until HttpClient has given up on it: its stream is then reset at its next frame
     * (the stream alone: the connection carries other exchanges), instead of being read on and dropped.
     */
    private static final class StreamResettingHandler implements AsyncClientExchangeHandler {
        private final AsyncClientExchangeHandler handler;
        /** Resets the stream once HttpCore has started it (a no-op when the stream has ended). */
        final ComplexCancellable stream = new ComplexCancellable();

        private volatile boolean abandoned;
        private volatile boolean ended;

        StreamResettingHandler(AsyncClientExchangeHandler handler) {
            this.handler = handler;
        }

        /** Gives up on the exchange; returns whether its stream may still be open (no end, no failure seen). */
        boolean abandon() {
            abandoned = true;
            stream.cancel();
            return !ended;
        }

        private void ensureWanted() throws HttpStreamResetException {
            if (abandoned) throw new HttpStreamResetException("exchange abandoned");
        }

        @Override
        public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
            ensureWanted();
            handler.produceRequest(channel, context);
        }

        @Override
        public int available() {
            return handler.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            ensureWanted();
            handler.produce(channel);
        }

        @Override
        public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
            ensureWanted();
            handler.consumeInformation(response, context);
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
                throws HttpException, IOException {
            ensureWanted();
            // A response without a body (a ping's redirect, a 204, a bare 503) ends its stream with its head: no
            // streamEnd follows. Not marking it ended would retire a sound connection at the exchange's release.
            if (entityDetails == null) ended = true;
            handler.consumeResponse(response, entityDetails, context);
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            ensureWanted();
            handler.updateCapacity(capacityChannel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            ensureWanted();
            handler.consume(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            ended = true;
            handler.streamEnd(trailers);
        }

        @Override
        public void cancel() {
            handler.cancel();
        }

        @Override
        public void failed(Exception cause) {
            ended = true;
            handler.failed(cause);
        }

        @Override
        public void releaseResources() {
            handler.releaseResources();
        }
    }
}
