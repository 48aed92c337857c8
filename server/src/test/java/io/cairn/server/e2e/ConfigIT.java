package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.AbortGrayRequest;
import io.cairn.api.config.AuditRecord;
import io.cairn.api.config.AuditRequest;
import io.cairn.api.config.Change;
import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceRequest;
import io.cairn.api.config.DeleteRequest;
import io.cairn.api.config.DescribeNamespaceRequest;
import io.cairn.api.config.DiffRequest;
import io.cairn.api.config.ExportRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.GetResponse;
import io.cairn.api.config.GrayRules;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.ImportPolicy;
import io.cairn.api.config.ImportRequest;
import io.cairn.api.config.ImportResponse;
import io.cairn.api.config.ListRequest;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.api.config.PromoteGrayRequest;
import io.cairn.api.config.PublishRequest;
import io.cairn.api.config.PublishResponse;
import io.cairn.api.config.RollbackRequest;
import io.cairn.api.config.SetSchemaRequest;
import io.cairn.api.config.StartGrayRequest;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The config center over gRPC against one member, and what etcdctl sees of it. */
@ExtendWith(OwnedProcesses.class)
class ConfigIT {
    @TempDir
    Path dir;

    private CairnProcess cairn;
    private ManagedChannel channel;
    private ConfigGrpc.ConfigBlockingStub config;

    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data"), "--config-history-versions", "5").start();
        channel = cairn.channel();
        config = ConfigGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        cairn.close();
    }

    @Test
    void publishIsACompareAndSetOnTheVersionAndThePlainKeyHoldsTheContent() throws Exception {
        ConfigKey key = key("default", "DEFAULT_GROUP", "app.yaml");
        PublishResponse first = config.publish(publish(key, "a: 1\n", Format.YAML).setMustNotExist(true).setComment("first").build());
        assertThat(first.getConfig().getVersion()).isEqualTo(1);
        assertThat(first.getConfig().getMd5()).isEqualTo(md5("a: 1\n"));
        assertThat(first.getHeader().getRevision()).isEqualTo(first.getConfig().getRevision());
        assertThat(first.getConfig().getTimeMs()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(config.publish(publish(key, "a: 2\n", Format.YAML).setExpectedVersion(1).build()).getConfig().getVersion()).isEqualTo(2);

        long before = revision();
        assertError(() -> config.publish(publish(key, "a: 3\n", Format.YAML).setExpectedVersion(1).build()),
                "FAILED_PRECONDITION", "config: version conflict: expected version 1, current is 2");
        assertError(() -> config.publish(publish(key, "a: 3\n", Format.YAML).setMustNotExist(true).build()),
                "FAILED_PRECONDITION", "it exists, at version 2");
        assertThat(revision()).isEqualTo(before);

        GetResponse got = config.get(GetRequest.newBuilder().setKey(key).build());
        assertThat(got.getConfig().getContent()).isEqualTo("a: 2\n");
        assertThat(got.getConfig().getVersion()).isEqualTo(2);
        assertThat(got.getConfig().getFormat()).isEqualTo(Format.YAML);
        assertThat(config.get(GetRequest.newBuilder().setKey(key).setVersion(1).build()).getConfig().getContent()).isEqualTo("a: 1\n");
        // a publish without a format keeps the config's
        assertThat(config.publish(publish(key, "a: 4\n", Format.FORMAT_UNSPECIFIED).build()).getConfig().getFormat()).isEqualTo(Format.YAML);

        assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl get --print-value-only /cairn/config/default/DEFAULT_GROUP/app.yaml").output())
                .isEqualTo("a: 4\n\n");

        // a version is stamped with the leader's wall clock, as the robustness run steps it
        long twoHours = TimeUnit.HOURS.toMillis(2);
        cairn.stepClock(twoHours);
        Thread.sleep(500);
        assertThat(config.publish(publish(key, "a: 5\n", Format.YAML).build()).getConfig().getTimeMs())
                .isCloseTo(System.currentTimeMillis() + twoHours, org.assertj.core.data.Offset.offset(60_000L));
        assertThat(cairn.log()).contains("The wall clock was stepped to " + twoHours + " ms from the system's");
    }

    @Test
    void invalidContentIsRefusedWithItsLineAndNothingIsStored() throws Exception {
        ConfigKey key = key("default", "g", "bad");
        long before = revision();
        assertError(() -> config.publish(publish(key, "a: 1\nb: [\n", Format.YAML).build()), "INVALID_ARGUMENT", "line 3");
        assertError(() -> config.publish(publish(key, "{\"a\": 1,\n \"b\": }", Format.JSON).build()), "INVALID_ARGUMENT", "line 2");
        assertError(() -> config.publish(publish(key, "<a>\n<b></a>", Format.XML).build()), "INVALID_ARGUMENT", "line 2");
        assertError(() -> config.publish(publish(key, "ok=1\nbad=\\u12G4\n", Format.PROPERTIES).build()), "INVALID_ARGUMENT", "line 2");
        assertError(() -> config.publish(publish(key, "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", Format.XML).build()),
                "INVALID_ARGUMENT", "xml");
        assertError(() -> config.publish(publish(key("nowhere", "g", "d"), "x", Format.TEXT).build()),
                "NOT_FOUND", "config: namespace not found: nowhere");
        assertError(() -> config.publish(publish(key("default", "g/h", "d"), "x", Format.TEXT).build()),
                "INVALID_ARGUMENT", "group \"g/h\" must be");
        assertError(() -> config.publish(publish(key, "x".repeat(1_100_000), Format.TEXT).build()),
                "INVALID_ARGUMENT", "config: content is too large");
        assertThat(revision()).isEqualTo(before);

        // a schema refuses content that parses but does not satisfy it
        long published = config.publish(publish(key, "{\"port\": 8080}", Format.JSON).build()).getConfig().getRevision();
        config.setSchema(SetSchemaRequest.newBuilder().setKey(key).setJsonSchema(
                "{\"type\":\"object\",\"required\":[\"port\"],\"properties\":{\"port\":{\"type\":\"integer\"}}}").build());
        long withSchema = revision();
        assertThat(config.get(GetRequest.newBuilder().setKey(key).build()).getConfig().getRevision())
                .as("a schema set is no new version").isEqualTo(published);
        assertError(() -> config.publish(publish(key, "{\"port\": \"eighty\"}", Format.JSON).build()),
                "INVALID_ARGUMENT", "config: content does not satisfy the config's schema");
        assertThat(revision()).isEqualTo(withSchema);
        assertThat(config.publish(publish(key, "{\"port\": 9090}", Format.JSON).build()).getConfig().getVersion()).isEqualTo(2);
    }

    @Test
    void historySurvivesCompactionAndIsTrimmedRollbackDiffAndDeleteAreVersions() throws Exception {
        ConfigKey key = key("default", "g", "app.properties");
        for (int i = 1; i <= 7; i++) {
            config.publish(publish(key, "n=" + i + "\ncommon=x\n", Format.PROPERTIES).build());
        }
        KVGrpc.newBlockingStub(channel).compact(CompactionRequest.newBuilder().setRevision(revision()).setPhysical(true).build());
        // five versions kept (--config-history-versions 5), newest first
        assertThat(config.history(HistoryRequest.newBuilder().setKey(key).build()).getVersionsList())
                .extracting(ConfigVersion::getVersion).containsExactly(7L, 6L, 5L, 4L, 3L);
        assertThat(config.history(HistoryRequest.newBuilder().setKey(key).setPageSize(2).setPageToken("5").build()).getVersionsList())
                .extracting(ConfigVersion::getVersion).containsExactly(4L, 3L);
        assertError(() -> config.get(GetRequest.newBuilder().setKey(key).setVersion(2).build()), "NOT_FOUND", "not in its history");

        String diff = config.diff(DiffRequest.newBuilder().setKey(key).setFromVersion(4).setToVersion(6).build()).getUnifiedDiff();
        assertThat(diff).contains("--- app.properties@4", "+++ app.properties@6", "-n=4", "+n=6", " common=x");

        PublishResponse back = config.rollback(RollbackRequest.newBuilder().setKey(key).setToVersion(4).setComment("undo").build());
        assertThat(back.getConfig().getVersion()).isEqualTo(8);
        assertThat(back.getConfig().getChange()).isEqualTo(Change.ROLLED_BACK);
        assertThat(back.getConfig().getSourceVersion()).isEqualTo(4);
        assertThat(config.get(GetRequest.newBuilder().setKey(key).build()).getConfig().getContent()).isEqualTo("n=4\ncommon=x\n");

        PublishResponse deleted = config.delete(DeleteRequest.newBuilder().setKey(key).setComment("gone").build());
        assertThat(deleted.getConfig().getVersion()).isEqualTo(9);
        assertError(() -> config.get(GetRequest.newBuilder().setKey(key).build()), "NOT_FOUND", "config: not found");
        assertThat(config.history(HistoryRequest.newBuilder().setKey(key).build()).getVersions(0).getChange()).isEqualTo(Change.DELETED);
        // published again, it carries on from the delete's version
        assertThat(config.publish(publish(key, "n=10\n", Format.PROPERTIES).setMustNotExist(true).build()).getConfig().getVersion()).isEqualTo(10);

        List<AuditRecord> audit = config.audit(AuditRequest.newBuilder().setNamespace("default").build()).getRecordsList();
        assertThat(audit).extracting(AuditRecord::getAction).startsWith("publish", "delete", "rollback", "publish");
        assertThat(audit.get(1).getComment()).isEqualTo("gone");
        assertThat(audit.get(1).getOldVersion()).isEqualTo(8);
        assertThat(audit.get(1).getNewVersion()).isEqualTo(9);
        assertThat(audit.get(1).getClientAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void namespacesListSearchAndExportThenImportGiveIdenticalConfigs() throws Exception {
        config.createNamespace(CreateNamespaceRequest.newBuilder().setName("prod").setDescription("production").build());
        assertError(() -> config.createNamespace(CreateNamespaceRequest.newBuilder().setName("prod").build()),
                "ALREADY_EXISTS", "prod");
        config.publish(publish(key("prod", "orders", "db.yaml"), "url: jdbc:x\npool: 5\n", Format.YAML).build());
        config.publish(publish(key("prod", "orders", "app.json"), "{\"feature\": true}", Format.JSON).build());
        config.publish(publish(key("prod", "web", "site.xml"), "<site><title>x</title></site>", Format.XML).build());
        config.setSchema(SetSchemaRequest.newBuilder().setKey(key("prod", "orders", "app.json"))
                .setJsonSchema("{\"type\":\"object\"}").build());

        assertThat(config.list(ListRequest.newBuilder().setNamespace("prod").build()).getConfigsList())
                .extracting(c -> c.getKey().getGroup() + "/" + c.getKey().getDataId())
                .containsExactly("orders/app.json", "orders/db.yaml", "web/site.xml");
        assertThat(config.list(ListRequest.newBuilder().setNamespace("prod").setDataIdPattern("*.yaml").build()).getConfigsList())
                .extracting(c -> c.getKey().getDataId()).containsExactly("db.yaml");
        assertThat(config.list(ListRequest.newBuilder().setNamespace("prod").setContentContains("title").build()).getConfigsList())
                .extracting(c -> c.getKey().getDataId()).containsExactly("site.xml");
        assertThat(config.list(ListRequest.newBuilder().setNamespace("prod").setGroup("orders").setPageSize(1).build()).getNextPageToken())
                .isEqualTo("orders/app.json");
        assertThat(config.describeNamespace(DescribeNamespaceRequest.newBuilder().setName("prod").build()).getNamespace().getConfigs())
                .isEqualTo(3);
        assertError(() -> config.deleteNamespace(DeleteNamespaceRequest.newBuilder().setName("prod").build()),
                "FAILED_PRECONDITION", "config: namespace is not empty");

        String document = config.export(ExportRequest.newBuilder().setNamespace("prod").build()).getDocument();
        config.createNamespace(CreateNamespaceRequest.newBuilder().setName("staging").build());
        ImportResponse imported = config.import_(ImportRequest.newBuilder().setNamespace("staging").setDocument(document).build());
        assertThat(imported.getCreated()).isEqualTo(3);
        for (String[] c : List.of(new String[] {"orders", "db.yaml"}, new String[] {"orders", "app.json"}, new String[] {"web", "site.xml"})) {
            ConfigVersion a = config.get(GetRequest.newBuilder().setKey(key("prod", c[0], c[1])).build()).getConfig();
            ConfigVersion b = config.get(GetRequest.newBuilder().setKey(key("staging", c[0], c[1])).build()).getConfig();
            assertThat(b.getContent()).isEqualTo(a.getContent());
            assertThat(b.getFormat()).isEqualTo(a.getFormat());
            assertThat(b.getMd5()).isEqualTo(a.getMd5());
            assertThat(b.getVersion()).isEqualTo(a.getVersion());
            assertThat(b.getJsonSchema()).isEqualTo(a.getJsonSchema());
        }
        // importing again conflicts by default, and changes nothing
        long before = revision();
        assertError(() -> config.import_(ImportRequest.newBuilder().setNamespace("staging").setDocument(document).build()),
                "FAILED_PRECONDITION", "3 configs exist already");
        assertThat(revision()).isEqualTo(before);
        assertThat(config.import_(ImportRequest.newBuilder().setNamespace("staging").setDocument(document)
                .setPolicy(ImportPolicy.SKIP_EXISTING).build()).getSkipped()).isEqualTo(3);

        for (String[] c : List.of(new String[] {"orders", "db.yaml"}, new String[] {"orders", "app.json"}, new String[] {"web", "site.xml"})) {
            config.delete(DeleteRequest.newBuilder().setKey(key("staging", c[0], c[1])).build());
        }
        config.deleteNamespace(DeleteNamespaceRequest.newBuilder().setName("staging").build());
        assertError(() -> config.get(GetRequest.newBuilder().setKey(key("staging", "web", "site.xml")).build()),
                "NOT_FOUND", "namespace not found");
    }

    @Test
    void aGrayReleaseReachesExactlyTheMatchingClientsThenPromoteAndAbort() throws Exception {
        ConfigKey key = key("default", "g", "flags.json");
        config.publish(publish(key, "{\"new\": false}", Format.JSON).build());
        ClientInfo canary = ClientInfo.newBuilder().setClientId("c-1").putLabels("zone", "canary").build();
        ClientInfo byAddress = ClientInfo.newBuilder().setClientId("c-2").setAddress("10.1.2.3").build();
        ClientInfo other = ClientInfo.newBuilder().setClientId("c-3").putLabels("zone", "main").setAddress("10.9.0.1").build();
        Listener canaryListen = listen(ListenRequest.newBuilder().setNamespace("default").addConfigs(key).setClient(canary).build());
        Listener otherListen = listen(ListenRequest.newBuilder().setNamespace("default").addConfigs(key).setClient(other).build());
        assertThat(canaryListen.nextEvent().getConfig().getContent()).isEqualTo("{\"new\": false}");
        assertThat(otherListen.nextEvent().getConfig().getContent()).isEqualTo("{\"new\": false}");

        config.startGray(StartGrayRequest.newBuilder().setKey(key).setContent("{\"new\": true}")
                .setRules(GrayRules.newBuilder().putLabels("zone", "canary").addAddresses("10.1.0.0/16")).build());
        assertThat(get(key, canary).getGray()).isTrue();
        assertThat(get(key, canary).getConfig().getContent()).isEqualTo("{\"new\": true}");
        assertThat(get(key, byAddress).getConfig().getContent()).isEqualTo("{\"new\": true}");
        assertThat(get(key, other).getGray()).isFalse();
        assertThat(get(key, other).getConfig().getContent()).isEqualTo("{\"new\": false}");
        ConfigEvent pushed = canaryListen.nextEvent();
        assertThat(pushed.getGray()).isTrue();
        assertThat(pushed.getConfig().getContent()).isEqualTo("{\"new\": true}");

        // a publish meanwhile reaches the others; the canary stays on its candidate
        config.publish(publish(key, "{\"new\": false, \"n\": 2}", Format.JSON).build());
        assertThat(otherListen.nextEvent().getConfig().getVersion()).isEqualTo(2);
        assertThat(get(key, canary).getConfig().getContent()).isEqualTo("{\"new\": true}");

        config.abortGray(AbortGrayRequest.newBuilder().setKey(key).build());
        ConfigEvent ended = canaryListen.nextEvent();
        assertThat(ended.getGrayEnded()).isTrue();
        assertThat(ended.getConfig().getVersion()).isEqualTo(2);
        assertThat(ended.getConfig().getContent()).isEqualTo("{\"new\": false, \"n\": 2}");
        assertThat(get(key, canary).getGray()).isFalse();

        config.startGray(StartGrayRequest.newBuilder().setKey(key).setContent("{\"new\": true}")
                .setRules(GrayRules.newBuilder().setPercent(100)).build());
        assertThat(otherListen.nextEvent().getGray()).isTrue();
        PublishResponse promoted = config.promoteGray(PromoteGrayRequest.newBuilder().setKey(key).build());
        assertThat(promoted.getConfig().getVersion()).isEqualTo(3);
        assertThat(promoted.getConfig().getChange()).isEqualTo(Change.GRAY_PROMOTED);
        ConfigEvent after = otherListen.nextEvent();
        assertThat(after.getGrayEnded()).isTrue();
        assertThat(after.getConfig().getVersion()).isEqualTo(3);
        assertThat(get(key, other).getConfig().getContent()).isEqualTo("{\"new\": true}");
        assertError(() -> config.promoteGray(PromoteGrayRequest.newBuilder().setKey(key).build()), "NOT_FOUND", "no gray release");
        canaryListen.close();
        otherListen.close();
    }

    @Test
    void aResumedListenerPinnedToACandidateKeepsItUntilTheReleaseEnds() throws Exception {
        ConfigKey key = key("default", "g", "pinned.json");
        config.publish(publish(key, "{\"v\": 1}", Format.JSON).build());
        config.startGray(StartGrayRequest.newBuilder().setKey(key).setContent("{\"v\": \"candidate\"}")
                .setRules(GrayRules.newBuilder().putLabels("zone", "canary")).build());
        ClientInfo canary = ClientInfo.newBuilder().setClientId("c").putLabels("zone", "canary").build();
        Listener first = listen(ListenRequest.newBuilder().setNamespace("default").addConfigs(key).setClient(canary).build());
        ListenResponse ready = first.next();
        assertThat(ready.getEvents(0).getGray()).isTrue();
        first.close();

        config.publish(publish(key, "{\"v\": 2}", Format.JSON).build());
        Listener resumed = listen(ListenRequest.newBuilder().setNamespace("default").addConfigs(key).setClient(canary)
                .setRevision(ready.getHeader().getRevision()).build());
        ListenResponse again = resumed.next();
        assertThat(again.getReady()).isTrue();
        assertThat(again.getEventsList()).as("version 2 is not for a client the candidate pins").isEmpty();
        config.abortGray(AbortGrayRequest.newBuilder().setKey(key).build());
        ConfigEvent ended = resumed.nextEvent();
        assertThat(ended.getGrayEnded()).isTrue();
        assertThat(ended.getConfig().getContent()).isEqualTo("{\"v\": 2}");
        resumed.close();
    }

    @Test
    void aListenerGetsEveryVersionInOrderAndResumesWithoutAGapOrADuplicate() throws Exception {
        ConfigKey a = key("default", "svc", "a.txt");
        ConfigKey b = key("default", "svc", "b.txt");
        config.publish(publish(a, "a1", Format.TEXT).build());
        Listener group = listen(ListenRequest.newBuilder().setNamespace("default").setGroup("svc").build());
        ListenResponse first = group.next();
        assertThat(first.getReady()).isTrue();
        assertThat(first.getEventsList()).extracting(e -> e.getConfig().getContent()).containsExactly("a1");
        for (int i = 2; i <= 20; i++) {
            config.publish(publish(i % 2 == 0 ? a : b, "v" + i, Format.TEXT).build());
        }
        List<String> seen = new ArrayList<>();
        long lastRevision = 0;
        while (seen.size() < 10) {
            ListenResponse r = group.next();
            for (ConfigEvent e : r.getEventsList()) {
                seen.add(e.getConfig().getContent());
            }
            lastRevision = r.getHeader().getRevision();
        }
        group.close();
        assertThat(seen).containsExactly("v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11");
        // compaction does not stop a resume: history is its own keys
        KVGrpc.newBlockingStub(channel).compact(CompactionRequest.newBuilder().setRevision(revision()).build());
        Listener resumed = listen(ListenRequest.newBuilder().setNamespace("default").setGroup("svc").setRevision(lastRevision).build());
        List<String> rest = new ArrayList<>();
        while (rest.size() < 9) {
            resumed.next().getEventsList().forEach(e -> rest.add(e.getConfig().getContent()));
        }
        assertThat(rest).containsExactly("v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20");
        resumed.close();
    }

    @Test
    void receiptsHangOnTheirClientsLeaseAndCountInstancesByVersion() {
        ConfigKey key = key("default", "g", "app.properties");
        config.publish(publish(key, "a=1\n", Format.PROPERTIES).build());
        config.publish(publish(key, "a=2\n", Format.PROPERTIES).build());
        io.cairn.api.etcd.LeaseGrpc.LeaseBlockingStub leases = io.cairn.api.etcd.LeaseGrpc.newBlockingStub(channel);
        long first = leases.leaseGrant(io.cairn.api.etcd.LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
        long second = leases.leaseGrant(io.cairn.api.etcd.LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
        config.report(report(key, "c1", 2, true, "", first));
        config.report(report(key, "c2", 1, false, "java.lang.IllegalStateException: pool must be positive", second));
        config.report(report(key, "c3", 2, true, "", second));

        io.cairn.api.config.StatusResponse status = config.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key).build());
        assertThat(status.getCurrent().getVersion()).isEqualTo(2);
        assertThat(status.getReceiptsList()).extracting(r -> r.getClient().getClientId()).containsExactly("c1", "c2", "c3");
        io.cairn.api.config.ConfigReceipt failed = status.getReceipts(1);
        assertThat(failed.getApplied()).isFalse();
        assertThat(failed.getError()).contains("pool must be positive");
        assertThat(failed.getLease()).isEqualTo(second);
        assertThat(failed.getSeenAddress()).startsWith("127.0.0.1");
        assertThat(failed.getTimeMs()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(status.getVersionsList()).extracting(v -> v.getVersion() + ":" + v.getInstances() + "/" + v.getFailed())
                .containsExactly("2:2/0", "1:1/1");
        // a later report replaces the client's receipt
        config.report(report(key, "c2", 2, true, "", second));
        assertThat(config.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key).build()).getVersionsList())
                .extracting(v -> v.getVersion() + ":" + v.getInstances() + "/" + v.getFailed()).containsExactly("2:3/0");

        // the receipts go with their lease
        leases.leaseRevoke(io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(second).build());
        assertThat(config.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key).build()).getReceiptsList())
                .extracting(r -> r.getClient().getClientId()).containsExactly("c1");

        // bad reports change nothing
        long before = revision();
        assertError(() -> config.report(report(key, "c9", 2, true, "", second)), "NOT_FOUND", "etcdserver: requested lease not found");
        assertError(() -> config.report(report(key, "c9", 2, true, "", 0)), "INVALID_ARGUMENT", "the client's lease");
        assertError(() -> config.report(report(key, "", 2, true, "", first)), "INVALID_ARGUMENT", "client id is empty");
        assertError(() -> config.report(report(key, "a/b", 2, true, "", first)), "INVALID_ARGUMENT", "client id \"a/b\" must be");
        assertError(() -> config.report(report(key, "c9", 0, true, "", first)), "INVALID_ARGUMENT", "version of at least 1");
        assertError(() -> config.report(report(key, "c9", 2, false, "x".repeat(9000), first)), "INVALID_ARGUMENT", "at most 8192 bytes");
        assertError(() -> config.report(report(key("nowhere", "g", "a"), "c9", 2, true, "", first)),
                "NOT_FOUND", "config: namespace not found");
        assertThat(revision()).isEqualTo(before);
        // a receipt's key names its client and lease, and hangs on that lease
        assertThat(KVGrpc.newBlockingStub(channel).range(RangeRequest.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8("/cairn/config-receipt/default/g/app.properties/c1@"
                        + Long.toHexString(first))).build())
                .getKvs(0).getLease()).isEqualTo(first);
    }

    private static io.cairn.api.config.ReportRequest report(ConfigKey key, String clientId, long version, boolean applied,
                                                            String error, long lease) {
        return io.cairn.api.config.ReportRequest.newBuilder().setLease(lease).setReceipt(io.cairn.api.config.ConfigReceipt.newBuilder()
                .setKey(key).setClient(ClientInfo.newBuilder().setClientId(clientId)).setVersion(version)
                .setMd5("0123456789abcdef0123456789abcdef").setApplied(applied).setError(error)).build();
    }

    private GetResponse get(ConfigKey key, ClientInfo client) {
        return config.get(GetRequest.newBuilder().setKey(key).setClient(client).build());
    }

    private long revision() {
        return KVGrpc.newBlockingStub(channel).range(RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("x")).build())
                .getHeader().getRevision();
    }

    static ConfigKey key(String ns, String group, String dataId) {
        return ConfigKey.newBuilder().setNamespace(ns).setGroup(group).setDataId(dataId).build();
    }

    static PublishRequest.Builder publish(ConfigKey key, String content, Format format) {
        return PublishRequest.newBuilder().setKey(key).setContent(content).setFormat(format);
    }

    static void assertError(Runnable call, String code, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode().name()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(text);
        });
    }

    private Listener listen(ListenRequest r) {
        Listener l = new Listener();
        ConfigGrpc.newStub(channel).listen(r, l);
        return l;
    }

    /** A listen's responses, as they come. */
    static final class Listener implements ClientResponseObserver<ListenRequest, ListenResponse> {
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final List<ConfigEvent> pending = new ArrayList<>();
        private volatile ClientCallStreamObserver<ListenRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<ListenRequest> call) {
            this.call = call;
        }

        @Override
        public void onNext(ListenResponse r) {
            received.add(r);
        }

        @Override
        public void onError(Throwable t) {
            received.add(t);
        }

        @Override
        public void onCompleted() {
            received.add("completed");
        }

        ListenResponse next() throws InterruptedException {
            Object o = received.poll(20, TimeUnit.SECONDS);
            assertThat(o).as("a listen response within 20 s").isInstanceOf(ListenResponse.class);
            return (ListenResponse) o;
        }

        /** The next event, skipping heartbeats. */
        ConfigEvent nextEvent() throws InterruptedException {
            while (pending.isEmpty()) {
                pending.addAll(next().getEventsList());
            }
            return pending.remove(0);
        }

        void close() {
            call.cancel("the test is done with it", null);
        }
    }

    static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
