package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthRoleAddRequest;
import io.cairn.api.etcd.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcd.AuthStatusRequest;
import io.cairn.api.etcd.AuthUserAddRequest;
import io.cairn.api.etcd.AuthUserGrantRoleRequest;
import io.cairn.api.etcd.AuthenticateRequest;
import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.HashKVRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.MemberListRequest;
import io.cairn.api.etcd.Permission;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random, mutated, truncated and invalid requests over gRPC, raw TCP and HTTP.
 * Without write rights, afterwards the member must be up, healthy, and hold exactly the data and
 * auth state it held before; as root, mutated requests are applied, and the member must stay
 * healthy and come back from a restart with the same state. No request may make it fail
 * internally, miss its deadline, or fail in the handler (UNKNOWN for a request that parses).
 */
@ExtendWith(OwnedProcesses.class)
class FuzzIT {
    private static final long SEED = Long.getLong("cairn.fuzz.seed", 20261127L);
    private static final int ROUNDS = Integer.getInteger("cairn.fuzz.rounds", 3000);
    private static final io.cairn.api.etcd.AlarmRequest DISARM_NOSPACE = io.cairn.api.etcd.AlarmRequest.newBuilder()
            .setAction(io.cairn.api.etcd.AlarmRequest.AlarmAction.DEACTIVATE).setAlarm(io.cairn.api.etcd.AlarmType.NOSPACE).build();

    @TempDir
    Path dir;

    /** Every unary method of the client API, with a valid request of its type to mutate. */
    private static final Map<String, Message> SAMPLES = Map.ofEntries(
            Map.entry("etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("z"))
                    .setLimit(5).setSortOrder(RangeRequest.SortOrder.DESCEND).build()),
            Map.entry("etcdserverpb.KV/Put", PutRequest.newBuilder().setKey(bs("/app/x")).setValue(bs("v")).setPrevKv(true).build()),
            Map.entry("etcdserverpb.KV/DeleteRange", DeleteRangeRequest.newBuilder().setKey(bs("/")).setRangeEnd(bs("0")).build()),
            Map.entry("etcdserverpb.KV/Txn", TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(bs("k")).setTarget(Compare.CompareTarget.VERSION)
                            .setResult(Compare.CompareResult.GREATER).setVersion(1))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("v"))))
                    .addFailure(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs("k"))))
                    .build()),
            Map.entry("etcdserverpb.KV/Compact", io.cairn.api.etcd.CompactionRequest.newBuilder().setRevision(3).build()),
            Map.entry("etcdserverpb.Lease/LeaseGrant", LeaseGrantRequest.newBuilder().setTTL(60).build()),
            Map.entry("etcdserverpb.Lease/LeaseRevoke", io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(7).build()),
            Map.entry("etcdserverpb.Lease/LeaseTimeToLive", io.cairn.api.etcd.LeaseTimeToLiveRequest.newBuilder().setID(7).setKeys(true).build()),
            Map.entry("etcdserverpb.Lease/LeaseLeases", io.cairn.api.etcd.LeaseLeasesRequest.getDefaultInstance()),
            Map.entry("etcdserverpb.Cluster/MemberList", MemberListRequest.getDefaultInstance()),
            Map.entry("etcdserverpb.Cluster/MemberRemove", io.cairn.api.etcd.MemberRemoveRequest.newBuilder().setID(1).build()),
            Map.entry("etcdserverpb.Maintenance/Status", io.cairn.api.etcd.StatusRequest.getDefaultInstance()),
            Map.entry("etcdserverpb.Maintenance/Alarm", io.cairn.api.etcd.AlarmRequest.newBuilder()
                    .setAction(io.cairn.api.etcd.AlarmRequest.AlarmAction.ACTIVATE).setAlarm(io.cairn.api.etcd.AlarmType.NOSPACE).build()),
            Map.entry("etcdserverpb.Maintenance/HashKV", HashKVRequest.getDefaultInstance()),
            Map.entry("etcdserverpb.Auth/Authenticate", AuthenticateRequest.newBuilder().setName("root").setPassword("x").build()),
            Map.entry("etcdserverpb.Auth/UserAdd", AuthUserAddRequest.newBuilder().setName("mallory").setPassword("p").build()),
            Map.entry("etcdserverpb.Auth/AuthDisable", io.cairn.api.etcd.AuthDisableRequest.getDefaultInstance()),
            Map.entry("etcdserverpb.Auth/RoleGrantPermission", AuthRoleGrantPermissionRequest.newBuilder().setName("reader")
                    .setPerm(Permission.newBuilder().setKey(bs("a")).setPermType(Permission.Type.READWRITE)).build()));

    private final Random random = new Random(SEED);
    private final Map<Status.Code, Integer> codes = java.util.Collections.synchronizedMap(new EnumMap<>(Status.Code.class));
    /** Answers no request may get, each with the method and the request's bytes (the first 20). */
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void randomAndMalformedRequestsChangeNothing() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            ManagedChannel channel = cairn.channel();
            try {
                String rootToken = setUp(channel);
                Channel asRoot = withToken(channel, rootToken);
                Channel asReader = withToken(channel, token(channel, "reader", "readerpw"));
                String before = state(asRoot);

                long t0 = System.nanoTime();
                // no credentials: all refused, whatever the bytes
                fuzzGrpc(channel, ROUNDS);
                long t1 = System.nanoTime();
                // a user who may read everything and write nothing: reads are exercised for real
                fuzzGrpc(asReader, ROUNDS);
                long t2 = System.nanoTime();
                // root, with requests that are invalid on purpose
                invalidAsRoot(asRoot);
                garbageOnTheGrpcPort(cairn.endpoint());
                long t3 = System.nanoTime();
                fuzzHttp(cairn.httpUrl(), ROUNDS / 3);
                long t4 = System.nanoTime();
                System.out.printf("fuzz: anonymous %d ms, reader %d ms, root and raw %d ms, http %d ms; codes %s%n",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, codes);

                assertThat(failures).as("wrong answers; all codes: " + codes).isEmpty();
                assertThat(codes.getOrDefault(Status.Code.INTERNAL, 0)).as("internal errors; all codes: " + codes).isZero();
                assertThat(state(asRoot)).isEqualTo(before);
                assertThat(cairn.isAlive()).isTrue();
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(cairn.httpUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).isEqualTo("{\"health\":\"true\"}");
                KVGrpc.newBlockingStub(asRoot).put(PutRequest.newBuilder().setKey(bs("after")).setValue(bs("ok")).build());
                assertThat(KVGrpc.newBlockingStub(asRoot).range(RangeRequest.newBuilder().setKey(bs("after")).build())
                        .getKvs(0).getValue()).isEqualTo(bs("ok"));
                assertThat(cairn.log()).doesNotContain("Unexpected failure").doesNotContain("Exception in thread");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /**
     * Mutated valid requests with every right: many are applied, so the state changes. What
     * must hold is what the answers and a restart can check: no wrong answer, the member stays
     * healthy, and it comes back from a kill with the same keyspace hash at the same revision.
     */
    @Test
    void mutatedRequestsAsRootAreAppliedAndTheMemberStaysConsistent() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            ManagedChannel channel = cairn.channel();
            Channel asRoot = withToken(channel, setUp(channel));
            long revisionBefore = revision(asRoot);
            long t0 = System.nanoTime();
            Map<String, Integer> applied = fuzzGrpc(asRoot, ROUNDS);
            System.out.printf("fuzz as root: %d ms; succeeded %s; codes %s%n", (System.nanoTime() - t0) / 1_000_000, applied, codes);
            channel.shutdownNow();

            assertThat(failures).as("wrong answers; all codes: " + codes).isEmpty();
            assertThat(cairn.isAlive()).isTrue();
            // the fuzz reached apply: writes of several kinds succeeded, and the revision moved
            assertThat(applied).containsKeys("etcdserverpb.KV/Put", "etcdserverpb.KV/Txn", "etcdserverpb.Lease/LeaseGrant");
            channel = cairn.channel();
            asRoot = root(channel);
            assertThat(revision(asRoot)).isGreaterThan(revisionBefore);
            quiesce(asRoot);
            String before = state(asRoot);
            channel.shutdownNow();

            cairn.kill();
            cairn.start();
            channel = cairn.channel();
            try {
                asRoot = root(channel);
                assertThat(state(asRoot)).as("state after a kill and restart").isEqualTo(before);
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(cairn.httpUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).isEqualTo("{\"health\":\"true\"}");
                KVGrpc.newBlockingStub(asRoot).put(PutRequest.newBuilder().setKey(bs("after")).setValue(bs("ok")).build());
                assertThat(KVGrpc.newBlockingStub(asRoot).range(RangeRequest.newBuilder().setKey(bs("after")).build())
                        .getKvs(0).getValue()).isEqualTo(bs("ok"));
                assertThat(cairn.log()).doesNotContain("Unexpected failure").doesNotContain("Exception in thread");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /** Root's rights on a fresh channel; the fuzz may have turned auth off, and then none are needed. */
    private static Channel root(ManagedChannel channel) {
        try {
            return withToken(channel, token(channel, "root", "rootpw"));
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).as("logging in as root").contains("authentication is not enabled");
            return channel;
        }
    }

    /**
     * Clears what could change the state by itself during the restart: alarms the fuzz raised
     * (they refuse writes and fail /health) and leases (one could expire and delete its keys).
     */
    private static void quiesce(Channel root) {
        MaintenanceGrpc.MaintenanceBlockingStub maintenance = MaintenanceGrpc.newBlockingStub(root);
        for (io.cairn.api.etcd.AlarmMember alarm : maintenance.alarm(io.cairn.api.etcd.AlarmRequest.newBuilder()
                .setAction(io.cairn.api.etcd.AlarmRequest.AlarmAction.GET).build()).getAlarmsList()) {
            maintenance.alarm(io.cairn.api.etcd.AlarmRequest.newBuilder().setAction(io.cairn.api.etcd.AlarmRequest.AlarmAction.DEACTIVATE)
                    .setMemberID(alarm.getMemberID()).setAlarm(alarm.getAlarm()).build());
        }
        LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(root);
        for (io.cairn.api.etcd.LeaseStatus l : lease.leaseLeases(io.cairn.api.etcd.LeaseLeasesRequest.getDefaultInstance()).getLeasesList()) {
            try {
                lease.leaseRevoke(io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(l.getID()).build());
            } catch (StatusRuntimeException e) {
                // expired meanwhile
            }
        }
    }

    private static long revision(Channel root) {
        return KVGrpc.newBlockingStub(root).range(RangeRequest.newBuilder().setKey(bs("x")).build()).getHeader().getRevision();
    }

    /** Some data, root, a reader role over every key, auth on; returns root's token. */
    private String setUp(ManagedChannel channel) {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        for (int i = 0; i < 20; i++) {
            kv.put(PutRequest.newBuilder().setKey(bs("/app/" + i)).setValue(bs("v" + i)).build());
        }
        AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(channel);
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("reader").build());
        auth.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("reader")
                .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(ByteString.EMPTY).setRangeEnd(bs("\0"))).build());
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("reader").setPassword("readerpw").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("reader").setRole("reader").build());
        auth.authEnable(io.cairn.api.etcd.AuthEnableRequest.getDefaultInstance());
        return token(channel, "root", "rootpw");
    }

    private static String token(Channel channel, String name, String password) {
        return AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                .setName(name).setPassword(password).build()).getToken();
    }

    private static Channel withToken(Channel channel, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** The keyspace's hash, the auth revision and the members: what no fuzzed request may change. */
    private static String state(Channel root) {
        long hash = MaintenanceGrpc.newBlockingStub(root).hashKV(HashKVRequest.getDefaultInstance()).getHash();
        long authRevision = AuthGrpc.newBlockingStub(root).authStatus(AuthStatusRequest.getDefaultInstance()).getAuthRevision();
        int members = ClusterGrpc.newBlockingStub(root).memberList(MemberListRequest.getDefaultInstance()).getMembersCount();
        long revision = KVGrpc.newBlockingStub(root).range(RangeRequest.newBuilder().setKey(bs("x")).build())
                .getHeader().getRevision();
        return "hash=" + hash + " auth=" + authRevision + " members=" + members + " revision=" + revision;
    }

    /** Sends {@code rounds} mutated requests and a few watch streams; returns how many of each method succeeded. */
    private Map<String, Integer> fuzzGrpc(Channel channel, int rounds) {
        List<String> methods = new ArrayList<>(SAMPLES.keySet());
        methods.sort(null);
        int logins = 0;
        Map<String, Integer> succeeded = new java.util.TreeMap<>();
        int alarmSince = -1;
        for (int i = 0; i < rounds; i++) {
            String method = methods.get(random.nextInt(methods.size()));
            if (method.equals("etcdserverpb.Auth/Authenticate") && ++logins > 12) {
                continue; // failed logins are slowed on purpose; a few are enough
            }
            byte[] bytes = mutate(SAMPLES.get(method).toByteArray());
            if (call(channel, method, bytes) == Status.Code.OK) {
                succeeded.merge(method, 1, Integer::sum);
                if (method.equals("etcdserverpb.Maintenance/Alarm") && alarmSince < 0) {
                    alarmSince = i;
                }
            }
            if (alarmSince >= 0 && i - alarmSince == 20) {
                // an alarm the fuzz raised caps the writes of 20 rounds, not of all the rest
                call(channel, "etcdserverpb.Maintenance/Alarm", DISARM_NOSPACE.toByteArray());
                alarmSince = -1;
            }
        }
        watchFuzz(channel, rounds / 50);
        return succeeded;
    }

    /**
     * Whether {@code request} parses as {@code method}'s request type. grpc-java answers UNKNOWN
     * ("Application error processing RPC") both when a request does not parse and when the
     * handler throws; only the first is a right answer, so UNKNOWN is checked against this.
     * Requests built here for methods without a sample are valid messages.
     */
    private static boolean parses(String method, byte[] request) {
        Message sample = method.equals("etcdserverpb.Watch/Watch") ? WatchRequest.getDefaultInstance() : SAMPLES.get(method);
        if (sample == null) {
            return true;
        }
        try {
            sample.getParserForType().parseFrom(request);
            return true;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** Records the answer, and a failure when no request should get it. */
    private void record(String method, Status status, boolean parses, byte[] request) {
        codes.merge(status.getCode(), 1, Integer::sum);
        String wrong = switch (status.getCode()) {
            case INTERNAL -> "INTERNAL " + status.getDescription();
            case DEADLINE_EXCEEDED -> "no answer within the deadline";
            case UNKNOWN -> parses ? "UNKNOWN for a request that parses: " + status.getDescription() : null;
            default -> null;
        };
        if (wrong != null && failures.size() < 20) {
            failures.add(method + ": " + wrong + " for " + java.util.HexFormat.of().formatHex(request));
        }
    }

    /** Bit flips, truncation, random bytes, or field bytes spliced in. */
    private byte[] mutate(byte[] valid) {
        switch (random.nextInt(5)) {
            case 0 -> {
                byte[] b = valid.clone();
                for (int n = 1 + random.nextInt(3); n > 0 && b.length > 0; n--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(valid, valid.length == 0 ? 0 : random.nextInt(valid.length));
            }
            case 2 -> {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                return b;
            }
            case 3 -> { // a varint field with an extreme value: huge limits, unknown enums, negative ids
                int field = 1 + random.nextInt(12);
                long value = switch (random.nextInt(4)) {
                    case 0 -> Long.MAX_VALUE;
                    case 1 -> -1;
                    case 2 -> 99;
                    default -> random.nextLong();
                };
                return concat(valid, varintField(field, value));
            }
            default -> { // a length-delimited field claiming more bytes than follow
                return concat(valid, new byte[] {(byte) ((1 + random.nextInt(8)) << 3 | 2), (byte) 0xff, (byte) 0x7f, 1});
            }
        }
    }

    private void watchFuzz(Channel channel, int streams) {
        for (int i = 0; i < streams; i++) {
            WatchRequest valid = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(bs("/app/")).setRangeEnd(bs("/app0")).setStartRevision(random.nextInt(30))
                    .setPrevKv(random.nextBoolean())).build();
            MethodDescriptor<byte[], byte[]> method = raw("etcdserverpb.Watch/Watch", MethodDescriptor.MethodType.BIDI_STREAMING);
            io.grpc.ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS));
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            List<byte[]> sent = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                sent.add(mutate(valid.toByteArray()));
            }
            boolean allParse = sent.stream().allMatch(b -> parses("etcdserverpb.Watch/Watch", b));
            call.start(new io.grpc.ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    record("etcdserverpb.Watch/Watch", status, allParse, sent.stream()
                            .reduce(new byte[0], FuzzIT::concat));
                    closed.countDown();
                }
            }, new Metadata());
            call.request(100);
            for (byte[] message : sent) {
                call.sendMessage(message);
            }
            call.halfClose();
            try {
                closed.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.cancel("done", null);
        }
    }

    /** Requests that are wrong on purpose, sent with every right: each must be refused whole. */
    private void invalidAsRoot(Channel root) {
        List<Message> puts = List.of(
                PutRequest.newBuilder().setKey(ByteString.EMPTY).setValue(bs("v")).build(),
                PutRequest.newBuilder().setKey(bs("k")).setLease(123456).build(),
                PutRequest.newBuilder().setKey(bs("k")).setValue(ByteString.copyFrom(new byte[2 * 1024 * 1024])).build(),
                PutRequest.newBuilder().setKey(bs("k")).setIgnoreValue(true).build());
        for (Message m : puts) {
            call(root, "etcdserverpb.KV/Put", m.toByteArray());
        }
        TxnRequest.Builder tooMany = TxnRequest.newBuilder();
        for (int i = 0; i < 200; i++) {
            tooMany.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("t" + i))));
        }
        call(root, "etcdserverpb.KV/Txn", tooMany.build().toByteArray());
        call(root, "etcdserverpb.KV/Txn", TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("d"))))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs("d"))))
                .build().toByteArray());
        call(root, "etcdserverpb.KV/Txn", concat(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("e"))))
                .build().toByteArray(), compareWithUnknownEnums()));
        call(root, "etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bs("z")).setRangeEnd(bs("a")).build().toByteArray());
        call(root, "etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bs("a")).setRevision(1_000_000).build().toByteArray());
        call(root, "etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(bs("a")).setLimit(Long.MAX_VALUE)
                .setRangeEnd(bs("\0")).build().toByteArray());
        call(root, "etcdserverpb.KV/Compact", io.cairn.api.etcd.CompactionRequest.newBuilder().setRevision(1_000_000).build().toByteArray());
        call(root, "etcdserverpb.Lease/LeaseRevoke", io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(99).build().toByteArray());
        call(root, "etcdserverpb.Auth/UserAdd", AuthUserAddRequest.newBuilder().setName("").setPassword("x").build().toByteArray());
        call(root, "etcdserverpb.Auth/UserAdd", AuthUserAddRequest.newBuilder().setName("x".repeat(5000)).setPassword("x").build().toByteArray());
        call(root, "etcdserverpb.Auth/RoleAdd", AuthRoleAddRequest.newBuilder().setName("reader").build().toByteArray());
        call(root, "etcdserverpb.Auth/UserDelete", io.cairn.api.etcd.AuthUserDeleteRequest.newBuilder().setName("root").build().toByteArray());
        call(root, "etcdserverpb.Cluster/MemberRemove", io.cairn.api.etcd.MemberRemoveRequest.newBuilder().setID(42).build().toByteArray());
    }

    /** A compare with a target and result no etcd version defines. */
    private static byte[] compareWithUnknownEnums() {
        byte[] compare = concat(Compare.newBuilder().setKey(bs("e")).build().toByteArray(),
                concat(varintField(1, 77), varintField(2, 66)));
        return concat(new byte[] {(byte) (1 << 3 | 2), (byte) compare.length}, compare);
    }

    private Status.Code call(Channel channel, String method, byte[] request) {
        Status status;
        try {
            ClientCalls.blockingUnaryCall(channel, raw(method, MethodDescriptor.MethodType.UNARY),
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
            status = Status.OK;
        } catch (StatusRuntimeException e) {
            status = e.getStatus();
        }
        record(method, status, parses(method, request), request);
        return status.getCode();
    }

    /** Random bytes, an HTTP/1 request and a bad HTTP/2 preface straight at the gRPC port. */
    private void garbageOnTheGrpcPort(String endpoint) throws IOException {
        String[] hostPort = endpoint.split(":");
        for (int i = 0; i < 50; i++) {
            byte[] junk = switch (i % 3) {
                case 0 -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                case 1 -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\u00ff\u0004\0\0\0\0\0garbage".getBytes(StandardCharsets.ISO_8859_1);
                default -> randomBytes(1 + random.nextInt(4096));
            };
            send(hostPort[0], Integer.parseInt(hostPort[1]), junk);
        }
    }

    /** Random paths, bodies and headers on the HTTP port, and raw garbage. */
    private void fuzzHttp(String base, int rounds) throws Exception {
        URI uri = URI.create(base);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String[] paths = {"/v3/kv/put", "/v3/kv/range", "/v3/kv/deleterange", "/v3/kv/txn", "/v3/kv/compaction",
                "/v3/lease/grant", "/v3/lease/revoke", "/v3/auth/user/add", "/v3/auth/disable", "/v3/auth/authenticate",
                "/v3/maintenance/alarm", "/v3/cluster/member/remove", "/v3/lease/keepalive", "/v3/nope", "/metrics", "/%zz"};
        String[] bodies = {"{\"key\":\"Zm9v\",\"value\":\"YmFy\"}", "{\"key\":", "[]", "null", "{\"key\":123}",
                "{\"key\":\"!!!notbase64\"}", "{\"limit\":\"-1\",\"key\":\"AA==\",\"range_end\":\"AA==\"}",
                "{\"name\":\"root\",\"password\":\"guess\"}", "{\"action\":\"ACTIVATE\",\"alarm\":\"NOSPACE\"}",
                "{\"unknown_field\":1}", "{\"ID\":\"1\"}{\"ID\":\"2\"}", "{\"create_request\":{\"key\":\"AA==\"}}"};
        for (int i = 0; i < rounds; i++) {
            if (i % 10 == 9) {
                send(uri.getHost(), uri.getPort(), randomBytes(1 + random.nextInt(2048)));
                continue;
            }
            String body = random.nextInt(4) == 0 ? new String(randomBytes(random.nextInt(200)), StandardCharsets.ISO_8859_1)
                    : bodies[random.nextInt(bodies.length)];
            String path = paths[random.nextInt(paths.length)].replace("%zz", "/v3/kv/range");
            if (path.endsWith("authenticate")) { // a new name each time: one name's failures are slowed on purpose
                body = "{\"name\":\"guess" + i + "\",\"password\":\"x\"}";
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(3))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (random.nextBoolean()) {
                request.header("Authorization", "garbage-" + random.nextInt());
            }
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("HTTP status for " + body).isNotEqualTo(500);
            } catch (java.net.http.HttpTimeoutException e) {
                throw new AssertionError("no answer within 3 s to " + body, e);
            }
        }
    }

    private static void send(String host, int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            try {
                socket.getInputStream().read(new byte[4096]);
            } catch (IOException e) {
                // a timeout or a reset: either is an acceptable answer to garbage
            }
        } catch (IOException e) {
            // the server may close on us mid-write
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] varintField(int field, long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(field << 3);
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static MethodDescriptor<byte[], byte[]> raw(String fullName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(fullName)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
