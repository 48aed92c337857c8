package io.cairn.server.testing;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quick put load over the standard etcd v3 API, so it drives etcd and Cairn alike: each of
 * {@code clients} keeps one put in flight until {@code total} are done, over {@code conns}
 * connections; prints puts/s and latency percentiles. A stopgap until the bench module.
 *
 * <p>Usage: {@code java -cp server/target/test-classes:server/target/lib/* io.cairn.server.testing.PutLoad
 * host:port clients conns total [valueBytes]}; with auth on, put a token in CAIRN_LOAD_TOKEN.
 */
public final class PutLoad {
    private PutLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        String[] hostPort = args[0].split(":");
        int clients = Integer.parseInt(args[1]);
        int conns = Integer.parseInt(args[2]);
        int total = Integer.parseInt(args[3]);
        ByteString value = ByteString.copyFrom(new byte[args.length > 4 ? Integer.parseInt(args[4]) : 256]);
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            NettyChannelBuilder builder = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1])).usePlaintext();
            String token = System.getenv("CAIRN_LOAD_TOKEN");
            if (token != null) {
                io.grpc.Metadata md = new io.grpc.Metadata();
                md.put(io.grpc.Metadata.Key.of("token", io.grpc.Metadata.ASCII_STRING_MARSHALLER), token);
                builder.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md));
            }
            channels.add(builder.build());
        }
        KVGrpc.KVBlockingStub warm = KVGrpc.newBlockingStub(channels.get(0));
        for (int i = 0; i < 1000; i++) {
            warm.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("warm-up/" + i)).setValue(value).build());
        }
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            new Client(KVGrpc.newStub(channels.get(c % conns)), value, next, total, latencies, errors, done).send();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        System.out.printf("clients=%d conns=%d puts=%d errors=%d %.0f puts/s p50=%.2fms p90=%.2fms p99=%.2fms%n",
                clients, conns, sorted.length, errors.get(), sorted.length / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99));
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    private record Client(KVGrpc.KVStub stub, ByteString value, AtomicInteger next, int total, long[] latencies,
                          AtomicLong errors, CountDownLatch done) {
        void send() {
            int i = next.getAndIncrement();
            if (i >= total) {
                done.countDown();
                return;
            }
            long t0 = System.nanoTime();
            PutRequest put = PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(String.format("load/%08d", i % 100_000))).setValue(value).build();
            stub.put(put, new StreamObserver<PutResponse>() {
                @Override
                public void onNext(PutResponse r) {
                    latencies[i] = System.nanoTime() - t0;
                }

                @Override
                public void onError(Throwable t) {
                    errors.incrementAndGet();
                    send();
                }

                @Override
                public void onCompleted() {
                    send();
                }
            });
        }
    }
}
