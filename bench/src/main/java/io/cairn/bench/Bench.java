package io.cairn.bench;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Load over the standard etcd v3 gRPC API, so one binary drives etcd and Cairn alike, and over
 * Cairn's own registry ({@code register}, {@code lookup}, {@code push}) and config center
 * ({@code publish}, {@code config-push}). Each run
 * prints one line for a person and one JSON line for scripts; {@code report} turns JSON lines
 * into BENCHMARKS.md's table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {Bench.Put.class, Bench.Range.class, Bench.Txn.class, WatchLoad.class, Bench.Lease.class,
                Bench.Mixed.class, RegistryLoad.Register.class, RegistryLoad.Lookup.class, PushLoad.class,
                ConfigLoad.Publish.class, ConfigPushLoad.class, Report.class})
public final class Bench implements Callable<Integer> {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static void print(Result r) {
        System.out.println(r.human());
        System.out.println(r.json());
    }

    static ByteString value(Options o) {
        return ByteString.copyFrom(new byte[o.valSize]);
    }

    static long keyNumber(Options o, long seq) {
        return o.sequential ? seq % o.keySpace : ThreadLocalRandom.current().nextInt(o.keySpace);
    }

    static CompletableFuture<PutResponse> put(ManagedChannel ch, ByteString key, ByteString value) {
        CompletableFuture<PutResponse> f = new CompletableFuture<>();
        KVGrpc.newStub(ch).put(PutRequest.newBuilder().setKey(key).setValue(value).build(), Load.into(f));
        return f;
    }

    /** Writes every key of the key space once, so that reads find something. */
    static void fill(Options o, List<ManagedChannel> channels) throws InterruptedException {
        Options fill = new Options();
        fill.endpoints = o.endpoints;
        fill.clients = Math.max(1, o.clients);
        fill.conns = o.conns;
        fill.total = o.keySpace;
        fill.warmup = 0;
        fill.keySize = o.keySize;
        fill.valSize = o.valSize;
        fill.keySpace = o.keySpace;
        fill.sequential = true;
        fill.quiet = true;
        ByteString v = value(o);
        Load.run(fill, "fill", (c, seq) -> put(channels.get(c % channels.size()), ByteString.copyFrom(o.key(seq)), v));
    }

    @Command(name = "put", description = "Puts of --val-size bytes to keys of the key space.")
    static final class Put implements Callable<Integer> {
        @Mixin
        Options o;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            ByteString v = value(o);
            print(Load.run(o, "put", (c, seq) -> put(channels.get(c % channels.size()),
                    ByteString.copyFrom(o.key(keyNumber(o, seq))), v)));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }

    @Command(name = "range", description = "Reads of single keys, linearizable or serializable.")
    static final class Range implements Callable<Integer> {
        @Mixin
        Options o;

        @Option(names = "--consistency", defaultValue = "l", description = "l (linearizable) or s (serializable)")
        String consistency;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            fill(o, channels);
            boolean serializable = consistency.equals("s");
            print(Load.run(o, serializable ? "range-serializable" : "range-linearizable", (c, seq) -> {
                CompletableFuture<RangeResponse> f = new CompletableFuture<>();
                KVGrpc.newStub(channels.get(c % channels.size())).range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFrom(o.key(keyNumber(o, seq)))).setSerializable(serializable).build(),
                        Load.into(f));
                return f;
            }));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }

    @Command(name = "txn", description = "Compare-and-put txns: if the key's version is at least 0, put it.")
    static final class Txn implements Callable<Integer> {
        @Mixin
        Options o;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            ByteString v = value(o);
            print(Load.run(o, "txn", (c, seq) -> {
                ByteString key = ByteString.copyFrom(o.key(keyNumber(o, seq)));
                CompletableFuture<TxnResponse> f = new CompletableFuture<>();
                KVGrpc.newStub(channels.get(c % channels.size())).txn(TxnRequest.newBuilder()
                        .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.VERSION)
                                .setResult(Compare.CompareResult.GREATER).setVersion(-1))
                        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(v)))
                        .build(), Load.into(f));
                return f;
            }));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }

    @Command(name = "mixed", description = "Reads and puts at random, --read-ratio of them reads.")
    static final class Mixed implements Callable<Integer> {
        @Mixin
        Options o;

        @Option(names = "--read-ratio", defaultValue = "0.9", description = "share of reads")
        double readRatio;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            fill(o, channels);
            ByteString v = value(o);
            print(Load.run(o, "mixed", (c, seq) -> {
                ManagedChannel ch = channels.get(c % channels.size());
                ByteString key = ByteString.copyFrom(o.key(keyNumber(o, seq)));
                if (ThreadLocalRandom.current().nextDouble() < readRatio) {
                    CompletableFuture<RangeResponse> f = new CompletableFuture<>();
                    KVGrpc.newStub(ch).range(RangeRequest.newBuilder().setKey(key).build(), Load.into(f));
                    return f;
                }
                return put(ch, key, v);
            }));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }

    @Command(name = "lease", description = "Keep-alives of --leases leases, one stream per client.")
    static final class Lease implements Callable<Integer> {
        @Mixin
        Options o;

        @Option(names = "--leases", defaultValue = "1000", description = "leases granted, then renewed in turn")
        int leases;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            long[] ids = new long[leases];
            for (int i = 0; i < leases; i++) {
                ids[i] = LeaseGrpc.newBlockingStub(channels.get(i % channels.size()))
                        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(300).build()).getID();
            }
            // one bidirectional stream per client; each answer completes that client's request
            List<StreamObserver<LeaseKeepAliveRequest>> streams = new ArrayList<>();
            List<CompletableFuture<LeaseKeepAliveResponse>[]> pending = new ArrayList<>();
            for (int c = 0; c < o.clients; c++) {
                @SuppressWarnings("unchecked")
                CompletableFuture<LeaseKeepAliveResponse>[] slot = new CompletableFuture[1];
                pending.add(slot);
                streams.add(LeaseGrpc.newStub(channels.get(c % channels.size())).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        slot[0].complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        slot[0].completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
            }
            print(Load.run(o, "lease-keepalive", (c, seq) -> {
                CompletableFuture<LeaseKeepAliveResponse> f = new CompletableFuture<>();
                pending.get(c)[0] = f;
                synchronized (streams.get(c)) {
                    streams.get(c).onNext(LeaseKeepAliveRequest.newBuilder().setID(ids[(int) (seq % leases)]).build());
                }
                return f;
            }));
            streams.forEach(StreamObserver::onCompleted);
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }
}
