package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthenticateRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Auth on three members: users, roles and tokens are the cluster's, not one member's. */
@ExtendWith(OwnedProcesses.class)
class AuthClusterIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    @Test
    void simpleTokensAndPermissionsHoldOnEveryMemberAndAcrossARestart() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3, "--bcrypt-cost", "6")) {
            setUp(cluster.member(0));
            for (CairnProcess m : cluster.members()) {
                assertThat(Etcdctl.run(m.endpoint(), "etcdctl --user alice:alicepw put /app/" + m.name() + " 1").output())
                        .isEqualTo("OK\n");
                assertThat(Etcdctl.run(m.endpoint(), "etcdctl --user alice:alicepw get /other").output())
                        .contains("etcdserver: permission denied");
            }
            // a simple token issued through one member is valid on the others: issuing went through raft
            String token = token(cluster.member(1));
            for (CairnProcess m : cluster.members()) {
                assertThat(readAs(m, token, "/app/m0")).isEqualTo("1");
            }
            // users and roles live in the database: a restarted member still enforces them
            CairnProcess restarted = cluster.member(2);
            restarted.stop();
            restarted.start();
            assertThat(Etcdctl.run(restarted.endpoint(), "etcdctl --user alice:alicepw get /app/m1 --print-value-only").output())
                    .isEqualTo("1\n");
            assertThat(Etcdctl.run(restarted.endpoint(), "etcdctl get /app/m1").output()).contains("user name is empty");
            assertThat(Etcdctl.run(restarted.endpoint(), "etcdctl --user root:rootpw user list").output())
                    .isEqualTo("alice\nroot\n");
        }
    }

    /**
     * A client that spreads its calls over members uses a fresh simple token on a member that
     * may not have applied its issue yet: the member waits for it instead of refusing. Writes
     * keep the members' apply busy, as in real use, so that they apply the issue at different
     * moments.
     */
    @Test
    void aSimpleTokenWorksAtOnceOnAnotherMember() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3, "--bcrypt-cost", "4")) {
            // issued by the leader, which applies first; the others apply it a moment later
            // (asked before auth is on, which keeps Status from anonymous clients)
            CairnProcess leader = cluster.awaitLeader(5_000);
            setUp(cluster.member(0));
            assertThat(Etcdctl.run(cluster.member(0).endpoint(), "etcdctl --user alice:alicepw put /app/k 1").output())
                    .isEqualTo("OK\n");
            List<CairnProcess> others = cluster.members().stream().filter(m -> m != leader).toList();
            List<ManagedChannel> channels = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            try {
                ManagedChannel toLeader = leader.channel();
                channels.add(toLeader);
                List<ManagedChannel> toOthers = others.stream().map(CairnProcess::channel).toList();
                channels.addAll(toOthers);
                String writerToken = token(toLeader);
                for (int w = 0; w < 4; w++) {
                    ManagedChannel via = w % 2 == 0 ? toLeader : toOthers.get(w / 2 % toOthers.size());
                    String prefix = "/app/load/" + w + "/";
                    Thread t = new Thread(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            try {
                                KVGrpc.newBlockingStub(withToken(via, writerToken)).withDeadlineAfter(5, TimeUnit.SECONDS)
                                        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix + i))
                                                .setValue(ByteString.copyFromUtf8("v")).build());
                            } catch (StatusRuntimeException e) {
                                // load only; the reads below are what is checked
                            }
                        }
                    });
                    t.start();
                    writers.add(t);
                }
                List<String> refusals = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String token = token(toLeader);
                    String read = readAs(toOthers.get(i % toOthers.size()), token, "/app/k");
                    if (!read.equals("1")) {
                        refusals.add("call " + i + ": " + read);
                    }
                }
                assertThat(refusals).isEmpty();
                // a token no member issued is still refused, after no more than a read index
                long start = System.nanoTime();
                assertThat(readAs(toOthers.get(0), "fQgkPXtYmTvoJnAb.999999999", "/app/k"))
                        .isEqualTo("etcdserver: invalid auth token");
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join(10_000);
                }
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
    }

    @Test
    void jwtTokensSignedByOneMemberAreVerifiedByAll() throws Exception {
        TestCerts keys = new TestCerts(dir.resolve("keys"), "unused-ca");
        keys.keyPair("jwt");
        String jwt = "jwt,pub-key=" + dir.resolve("keys/jwt.pub") + ",priv-key=" + dir.resolve("keys/jwt.key")
                + ",sign-method=RS256,ttl=10m";
        try (CairnCluster cluster = CairnCluster.start(dir, 3, "--auth-token", jwt, "--bcrypt-cost", "6")) {
            setUp(cluster.member(0));
            String token = token(cluster.member(2));
            assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            for (CairnProcess m : cluster.members()) {
                assertThat(Etcdctl.run(m.endpoint(), "etcdctl --user alice:alicepw put /app/" + m.name() + " 1").output())
                        .isEqualTo("OK\n");
                assertThat(readAs(m, token, "/app/m0")).isEqualTo("1");
            }
            // a token made with another key, or tampered with, is refused
            String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
            assertThat(readAs(cluster.member(1), tampered, "/app/m0")).isEqualTo("etcdserver: invalid auth token");
            // any change to auth makes older tokens stale; etcd clients then authenticate again
            assertThat(Etcdctl.run(cluster.member(0).endpoint(), "etcdctl --user root:rootpw role add extra").exit()).isZero();
            // (a member learns of the change when it applies it, a moment later)
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!readAs(cluster.member(1), token, "/app/m0").contains("old") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(readAs(cluster.member(1), token, "/app/m0")).isEqualTo("etcdserver: revision of auth store is old");
            assertThat(Etcdctl.run(cluster.member(1).endpoint(), "etcdctl --user alice:alicepw get /app/m0 --print-value-only")
                    .output()).isEqualTo("1\n");
        }
    }

    private static void setUp(CairnProcess m) throws Exception {
        for (String step : new String[] {"user add root --new-user-password=rootpw", "user add alice --new-user-password=alicepw",
                "role add app", "role grant-permission app --prefix readwrite /app/", "user grant-role alice app", "auth enable"}) {
            assertThat(Etcdctl.run(m.endpoint(), "etcdctl " + step).exit()).as(step).isZero();
        }
    }

    private static String token(ManagedChannel channel) {
        return AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                .setName("alice").setPassword("alicepw").build()).getToken();
    }

    private static io.grpc.Channel withToken(ManagedChannel channel, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** As {@link #readAs(CairnProcess, String, String)}, on a channel the caller keeps. */
    private static String readAs(ManagedChannel channel, String token, String key) {
        try {
            return KVGrpc.newBlockingStub(withToken(channel, token)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
                    .getKvs(0).getValue().toStringUtf8();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getDescription();
        }
    }

    private static String token(CairnProcess m) {
        ManagedChannel channel = m.channel();
        try {
            return AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                    .setName("alice").setPassword("alicepw").build()).getToken();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The value of {@code key} read with {@code token}, or the error's text. */
    private static String readAs(CairnProcess m, String token, String key) {
        ManagedChannel channel = m.channel();
        try {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
            return KVGrpc.newBlockingStub(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md)))
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
                    .getKvs(0).getValue().toStringUtf8();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getDescription();
        } finally {
            channel.shutdownNow();
        }
    }
}
