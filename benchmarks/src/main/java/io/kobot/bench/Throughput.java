package io.kobot.bench;

/** {@code count} things done in {@code nanos}. */
record Throughput(long count, long nanos) {
    static Throughput since(long count, long startNanos) {
        return new Throughput(count, System.nanoTime() - startNanos);
    }

    double seconds() {
        return nanos / 1e9;
    }

    double perSecond() {
        return count / seconds();
    }
}
