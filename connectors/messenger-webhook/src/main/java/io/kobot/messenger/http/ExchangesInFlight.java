package io.kobot.messenger.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.Http1StreamListener;

/**
 * The connections with a request read and its response not yet sent, so that a shutdown can wait for those answers
 * and not for idle keep-alive connections. A handler that has returned has not answered yet: the server writes the
 * response after it, so counting inside the handler would let a shutdown cut a response that was ready.
 */
final class ExchangesInFlight implements Http1StreamListener {
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();

    @Override
    public void onRequestHead(HttpConnection connection, HttpRequest request) {
        connections.add(connection);
    }

    @Override
    public void onResponseHead(HttpConnection connection, HttpResponse response) {}

    @Override
    public void onExchangeComplete(HttpConnection connection, boolean keepAlive) {
        connections.remove(connection);
    }

    /** Whether any exchange is in progress; a connection that closed mid-exchange (client gone) no longer counts. */
    boolean any() {
        connections.removeIf(connection -> !connection.isOpen());
        return !connections.isEmpty();
    }
}
