package io.cairn.bench;

import java.util.List;
import picocli.CommandLine.Option;

/** What every workload takes. */
final class Options {
    @Option(names = "--endpoints", split = ",", defaultValue = "127.0.0.1:2379", description = "host:port,...")
    List<String> endpoints;

    @Option(names = "--clients", defaultValue = "1", description = "requests in flight at once")
    int clients;

    @Option(names = "--conns", defaultValue = "1", description = "gRPC connections")
    int conns;

    @Option(names = "--total", defaultValue = "10000", description = "requests to measure (0: use --duration)")
    long total;

    @Option(names = "--duration", defaultValue = "0", description = "seconds to measure, instead of --total")
    long durationSeconds;

    @Option(names = "--warmup", defaultValue = "1000", description = "requests made before measuring")
    long warmup;

    @Option(names = "--key-size", defaultValue = "8", description = "bytes per key")
    int keySize;

    @Option(names = "--val-size", defaultValue = "256", description = "bytes per value")
    int valSize;

    @Option(names = "--key-space", defaultValue = "10000", description = "distinct keys")
    int keySpace;

    @Option(names = "--sequential-keys", description = "keys in order rather than at random")
    boolean sequential;

    @Option(names = "--target", defaultValue = "server", description = "what is measured, for the JSON line")
    String target;

    @Option(names = "--members", defaultValue = "1", description = "its size, for the JSON line")
    int members;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    /** A key of --key-size bytes: a fixed prefix, then the number. */
    byte[] key(long n) {
        String digits = Long.toString(n);
        StringBuilder k = new StringBuilder("k");
        while (k.length() + digits.length() < keySize) {
            k.append('0');
        }
        return k.append(digits).toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
