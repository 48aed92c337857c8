package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.config.AuditRecord;
import io.cairn.api.config.AuditRequest;
import io.cairn.api.config.AuditResponse;
import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.DescribeNamespaceRequest;
import io.cairn.api.config.Draft;
import io.cairn.api.config.DiffRequest;
import io.cairn.api.config.DiffResponse;
import io.cairn.api.config.ExportRequest;
import io.cairn.api.config.ExportResponse;
import io.cairn.api.config.GetGrayRequest;
import io.cairn.api.config.Listener;
import io.cairn.api.config.ListenersRequest;
import io.cairn.api.config.ListenersResponse;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.GetResponse;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.GrayResponse;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.HistoryResponse;
import io.cairn.api.config.ListNamespacesResponse;
import io.cairn.api.config.ListRequest;
import io.cairn.api.config.ListResponse;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.Namespace;
import io.cairn.api.config.NamespaceResponse;
import io.cairn.api.config.StatusRequest;
import io.cairn.api.config.StatusResponse;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.config.ConfigDiffs;
import io.cairn.server.config.ConfigJson;
import io.cairn.server.config.ConfigKeys;
import io.cairn.server.config.ConfigListen;
import io.cairn.server.config.ConfigStats;
import io.cairn.server.config.ConfigTransfer;
import io.cairn.server.config.GrayMatcher;
import io.cairn.server.config.SecretText;
import io.cairn.server.config.Rollouts;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.TxnRead;
import io.cairn.server.time.WallClock;
import io.cairn.server.watch.WatchHub;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The config center's reads, transport-free: each reads the local keyspace (after a read index
 * unless serializable) and checks the caller may read the prefixes it touches, as a KV range would.
 */
public final class ConfigReads implements AutoCloseable {
    static final int MAX_PAGE = 500;

    private final KvServer kv;
    private final Headers headers;
    private final AccessGate access;
    private final WatchHub watches;
    private final RaftNode raft;
    private final ConfigStats stats;
    private final ConfigSecrets secrets;
    private final AtomicInteger listeners = new AtomicInteger();
    /** The listens open on this member, for {@link #listenersOf}. */
    private final Set<ConfigListen> live = ConcurrentHashMap.newKeySet();
    private long censusNanos;
    private long census = -1;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-config-heartbeat");
        t.setDaemon(true);
        return t;
    });

    ConfigReads(KvServer kv, Headers headers, AccessGate access, WatchHub watches, RaftNode raft, ConfigStats stats,
                ConfigSecrets secrets) {
        this.kv = kv;
        this.secrets = secrets;
        this.stats = stats;
        this.headers = headers;
        this.access = access;
        this.watches = watches;
        this.raft = raft;
    }

    /** The current version (a gray candidate, for a client it matches), or a past one. */
    public CompletableFuture<GetResponse> get(String user, String address, GetRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return kv.read(r.getSerializable(), view -> {
            if (r.getVersion() > 0) {
                readable(user, ConfigKeys.historyPrefix(key));
                ConfigVersion v = ConfigServer.version(view, ConfigKeys.history(key, r.getVersion()));
                if (v == null) {
                    throw ServerError.CONFIG_NOT_FOUND.exception("version " + r.getVersion() + " of "
                            + ConfigKeys.describe(key) + " is not in its history");
                }
                return reply(view, GetResponse.newBuilder().setConfig(shown(v, secrets.shown(user, key.getNamespace(), r.getReveal()))));
            }
            readable(user, ConfigKeys.contentPrefix(key.getNamespace()));
            readable(user, ConfigKeys.metaPrefix(key.getNamespace()));
            readable(user, ConfigKeys.grayPrefix(key.getNamespace()));
            ConfigVersion meta = ConfigServer.version(view, ConfigKeys.meta(key));
            if (meta == null || meta.getChange() == Change.DELETED) {
                requireNamespace(view, key.getNamespace());
                throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(key));
            }
            SecretText.Shown shown = secrets.shown(user, key.getNamespace(), r.getReveal());
            GrayRelease gray = gray(view, key);
            if (gray != null && GrayMatcher.matches(gray.getRules(), key, r.getClient(), address)) {
                return reply(view, GetResponse.newBuilder().setGray(true)
                        .setConfig(shown(GrayMatcher.candidate(gray, meta.getVersion()), shown)));
            }
            return reply(view, GetResponse.newBuilder().setConfig(
                    shown(meta.toBuilder().setContent(ConfigServer.text(view, ConfigKeys.content(key))).build(), shown)));
        });
    }

    /** Current configs in (group, data id) order, filtered; content only when asked or searched. */
    public CompletableFuture<ListResponse> list(String user, ListRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        if (!r.getGroup().isEmpty()) {
            ConfigKeys.checkName("group", r.getGroup());
        }
        int pageSize = pageSize(r.getPageSize());
        Pattern dataId = r.getDataIdPattern().isEmpty() ? null : glob(r.getDataIdPattern());
        boolean withContent = r.getWithContent() || !r.getContentContains().isEmpty();
        return kv.read(false, view -> {
            ByteString metas = r.getGroup().isEmpty() ? ConfigKeys.metaPrefix(ns) : ConfigKeys.metaPrefix(ns, r.getGroup());
            readable(user, metas);
            if (withContent) {
                readable(user, ConfigKeys.contentPrefix(ns));
            }
            requireNamespace(view, ns);
            SecretText.Shown shown = r.getWithContent() ? secrets.shown(user, ns, r.getReveal()) : null;
            ListResponse.Builder resp = ListResponse.newBuilder();
            for (ConfigVersion meta : current(view, metas)) {
                String position = meta.getKey().getGroup() + "/" + meta.getKey().getDataId();
                if (position.compareTo(r.getPageToken()) <= 0 || (dataId != null && !dataId.matcher(meta.getKey().getDataId()).matches())) {
                    continue;
                }
                ConfigVersion.Builder v = meta.toBuilder().clearJsonSchema();
                if (withContent) {
                    String content = ConfigServer.text(view, ConfigKeys.content(meta.getKey()));
                    if (!content.contains(r.getContentContains())) {
                        continue;
                    }
                    if (r.getWithContent()) {
                        v.setContent(shown.show(meta.getKey(), meta.getFormat(), content)).setMasked(!shown.opens() && SecretText.isSealed(content));
                    }
                }
                if (resp.getConfigsCount() == pageSize) {
                    ConfigKey last = resp.getConfigs(pageSize - 1).getKey();
                    resp.setNextPageToken(last.getGroup() + "/" + last.getDataId());
                    break;
                }
                resp.addConfigs(v);
            }
            return reply(view, resp);
        });
    }

    /** Versions kept, newest first, without content. */
    public CompletableFuture<HistoryResponse> history(String user, HistoryRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        int pageSize = pageSize(r.getPageSize());
        long before = r.getPageToken().isEmpty() ? Long.MAX_VALUE : token(r.getPageToken());
        return kv.read(false, view -> {
            ByteString prefix = ConfigKeys.historyPrefix(key);
            readable(user, prefix);
            List<ConfigVersion> versions = versions(view, prefix);
            versions.sort(Comparator.comparingLong(ConfigVersion::getVersion).reversed());
            HistoryResponse.Builder resp = HistoryResponse.newBuilder();
            for (ConfigVersion v : versions) {
                if (v.getVersion() >= before) {
                    continue;
                }
                if (resp.getVersionsCount() == pageSize) {
                    resp.setNextPageToken(Long.toString(resp.getVersions(pageSize - 1).getVersion()));
                    break;
                }
                resp.addVersions(v.toBuilder().clearContent());
            }
            if (versions.isEmpty()) {
                requireNamespace(view, key.getNamespace());
                throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(key));
            }
            return reply(view, resp);
        });
    }

    public CompletableFuture<DiffResponse> diff(String user, DiffRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        int context = r.getContext() == 0 ? 3 : (int) Math.min(r.getContext(), 1000);
        return kv.read(false, view -> {
            readable(user, ConfigKeys.historyPrefix(key));
            readable(user, ConfigKeys.metaPrefix(key.getNamespace()));
            long to = r.getToVersion();
            if (to == 0) {
                ConfigVersion meta = ConfigServer.version(view, ConfigKeys.meta(key));
                if (meta == null) {
                    throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(key));
                }
                to = meta.getVersion();
            }
            SecretText.Shown shown = secrets.shown(user, key.getNamespace(), r.getReveal());
            ConfigVersion from = shown(kept(view, key, r.getFromVersion()), shown);
            ConfigVersion into = shown(kept(view, key, to), shown);
            String diff = ConfigDiffs.unified(key.getDataId() + "@" + from.getVersion(), key.getDataId() + "@" + into.getVersion(),
                    from.getContent(), into.getContent(), context);
            return reply(view, DiffResponse.newBuilder().setUnifiedDiff(diff).setFromVersion(from.getVersion())
                    .setToVersion(into.getVersion()));
        });
    }

    public CompletableFuture<GrayResponse> getGray(String user, GetGrayRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return kv.read(false, view -> {
            readable(user, ConfigKeys.grayPrefix(key.getNamespace()));
            GrayResponse.Builder resp = GrayResponse.newBuilder();
            GrayRelease g = gray(view, key);
            if (g != null) {
                SecretText.Shown shown = secrets.shown(user, key.getNamespace(), r.getReveal());
                resp.setGray(g.toBuilder().setContent(shown.show(key, g.getFormat(), g.getContent())));
            }
            return reply(view, resp);
        });
    }

    /** A config's rollout: every client's receipt, and how many run each version. */
    public CompletableFuture<StatusResponse> status(String user, StatusRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return kv.read(false, view -> {
            // what it answers: receipts, as content readers may report them; the metadata and gray release, as get
            readable(user, ConfigKeys.contentPrefix(key.getNamespace()));
            readable(user, ConfigKeys.metaPrefix(key.getNamespace()));
            readable(user, ConfigKeys.grayPrefix(key.getNamespace()));
            requireNamespace(view, key.getNamespace());
            ByteString prefix = ConfigKeys.receiptPrefix(key);
            List<ConfigReceipt> receipts = view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs().stream()
                    .map(ConfigJson::receipt).filter(java.util.Objects::nonNull).toList();
            return reply(view, Rollouts.status(ConfigServer.version(view, ConfigKeys.meta(key)), gray(view, key), receipts));
        });
    }

    /** Pending drafts of a namespace (a group, a config), oldest first, without their content. */
    public CompletableFuture<io.cairn.api.config.ListDraftsResponse> listDrafts(String user, io.cairn.api.config.ListDraftsRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        if (!r.getDataId().isEmpty() && r.getGroup().isEmpty()) {
            throw ServerError.CONFIG_INVALID.exception("a data id needs its group");
        }
        ByteString prefix = r.getGroup().isEmpty() ? ConfigKeys.draftPrefix(ns) : r.getDataId().isEmpty()
                ? ConfigKeys.draftPrefix(ns, ConfigKeys.checkName("group", r.getGroup()))
                : ConfigKeys.draftPrefix(ConfigKeys.check(ConfigKey.newBuilder().setNamespace(ns).setGroup(r.getGroup())
                        .setDataId(r.getDataId()).build()));
        return kv.read(false, view -> {
            readable(user, ConfigKeys.draftPrefix(ns));
            requireNamespace(view, ns);
            List<Draft> drafts = new ArrayList<>();
            for (KeyValue entry : view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs()) {
                Draft d = ConfigJson.draft(entry);
                if (d != null) {
                    drafts.add(d.toBuilder().clearContent().build());
                }
            }
            drafts.sort(Comparator.comparingLong(Draft::getId));
            return reply(view, io.cairn.api.config.ListDraftsResponse.newBuilder().addAllDrafts(drafts));
        });
    }

    /** One draft, and the diff it makes to the config's current version. */
    public CompletableFuture<io.cairn.api.config.DraftResponse> getDraft(String user, io.cairn.api.config.GetDraftRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return kv.read(false, view -> {
            readable(user, ConfigKeys.draftPrefix(key.getNamespace()));
            readable(user, ConfigKeys.contentPrefix(key.getNamespace()));
            requireNamespace(view, key.getNamespace());
            List<KeyValue> kvs = view.range(ConfigKeys.draft(key, r.getId()), null, RangeOptions.LATEST).kvs();
            Draft d = kvs.isEmpty() ? null : ConfigJson.draft(kvs.get(0));
            if (d == null) {
                throw ServerError.CONFIG_DRAFT_NOT_FOUND.exception("draft " + r.getId() + " of " + ConfigKeys.describe(key));
            }
            ConfigVersion meta = ConfigServer.version(view, ConfigKeys.meta(key));
            boolean exists = meta != null && meta.getChange() != Change.DELETED;
            long current = meta == null ? 0 : meta.getVersion();
            SecretText.Shown shown = secrets.shown(user, key.getNamespace(), r.getReveal());
            d = d.toBuilder().setContent(shown.show(key, d.getFormat(), d.getContent())).build();
            String diff = ConfigDiffs.unified(key.getDataId() + "@" + current, key.getDataId() + "@draft-" + d.getId(),
                    exists ? shown.show(key, meta.getFormat(), ConfigServer.text(view, ConfigKeys.content(key))) : "", d.getContent(), 3);
            return reply(view, io.cairn.api.config.DraftResponse.newBuilder().setDraft(d).setUnifiedDiff(diff)
                    .setCurrentVersion(current));
        });
    }

    public CompletableFuture<ExportResponse> export(String user, ExportRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        return kv.read(false, view -> {
            readable(user, ConfigKeys.metaPrefix(ns));
            readable(user, ConfigKeys.contentPrefix(ns));
            requireNamespace(view, ns);
            List<ConfigVersion> metas = current(view, ConfigKeys.metaPrefix(ns));
            SecretText.Shown shown = secrets.shown(user, ns, r.getReveal());
            Map<ConfigKey, String> contents = new HashMap<>();
            for (ConfigVersion m : metas) {
                contents.put(m.getKey(), shown.show(m.getKey(), m.getFormat(), ConfigServer.text(view, ConfigKeys.content(m.getKey()))));
            }
            String doc = ConfigTransfer.export(ns, metas, contents, view.revision(), WallClock.nowMs());
            return reply(view, ExportResponse.newBuilder().setDocument(doc));
        });
    }

    /** {@code v} with its content as {@code shown} shows it. */
    private static ConfigVersion shown(ConfigVersion v, SecretText.Shown shown) {
        return v.getContent().isEmpty() ? v : v.toBuilder().setContent(shown.show(v.getKey(), v.getFormat(), v.getContent()))
                .setMasked(!shown.opens() && SecretText.isSealed(v.getContent())).build();
    }

    /** Audit records newest first, filtered by user and time. */
    public CompletableFuture<AuditResponse> audit(String user, AuditRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        int pageSize = pageSize(r.getPageSize());
        long until = r.getUntilMs() == 0 ? Long.MAX_VALUE : r.getUntilMs();
        return kv.read(false, view -> {
            ByteString prefix = ConfigKeys.auditPrefix(ns);
            readable(user, prefix);
            List<KeyValue> kvs = view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs();
            AuditResponse.Builder resp = AuditResponse.newBuilder();
            for (int i = kvs.size() - 1; i >= 0; i--) {
                String position = kvs.get(i).getKey().toStringUtf8().substring(prefix.size());
                if (!r.getPageToken().isEmpty() && position.compareTo(r.getPageToken()) >= 0) {
                    continue;
                }
                AuditRecord a = ConfigJson.decode(kvs.get(i).getValue(), AuditRecord.newBuilder());
                if (a == null || (!r.getUser().isEmpty() && !r.getUser().equals(a.getUser()))
                        || a.getTimeMs() < r.getSinceMs() || a.getTimeMs() >= until) {
                    continue;
                }
                if (resp.getRecordsCount() == pageSize) {
                    String last = kvs.get(i + 1).getKey().toStringUtf8().substring(prefix.size());
                    resp.setNextPageToken(last);
                    break;
                }
                resp.addRecords(a.toBuilder().setRevision(kvs.get(i).getModRevision()));
            }
            return reply(view, resp);
        });
    }

    /** The namespaces {@code user} may read (all of them for root, or with auth off). */
    public CompletableFuture<ListNamespacesResponse> listNamespaces(String user) {
        return kv.read(false, view -> {
            ListNamespacesResponse.Builder resp = ListNamespacesResponse.newBuilder();
            List<Namespace> all = new ArrayList<>();
            all.add(builtin());
            ByteString prefix = ConfigKeys.namespacesPrefix();
            for (KeyValue entry : view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs()) {
                Namespace ns = ConfigJson.decode(entry.getValue(), Namespace.newBuilder());
                if (ns != null) {
                    all.add(ns);
                }
            }
            for (Namespace ns : all) {
                if (mayRead(user, ns.getName())) {
                    resp.addNamespaces(describe(view, ns));
                }
            }
            return reply(view, resp);
        });
    }

    public CompletableFuture<NamespaceResponse> describeNamespace(String user, DescribeNamespaceRequest r) {
        String name = ConfigKeys.namespace(r.getName());
        return kv.read(false, view -> {
            readable(user, ConfigKeys.metaPrefix(name));
            Namespace ns = requireNamespace(view, name);
            return reply(view, NamespaceResponse.newBuilder().setNamespace(describe(view, ns)));
        });
    }

    /**
     * The clients listening to a config through this member, and what each was last sent. The
     * same permissions as reading the config are required (what was sent may be a candidate).
     */
    public CompletableFuture<ListenersResponse> listenersOf(String user, ListenersRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return kv.read(false, view -> {
            readable(user, ConfigKeys.contentPrefix(key.getNamespace()));
            readable(user, ConfigKeys.metaPrefix(key.getNamespace()));
            readable(user, ConfigKeys.grayPrefix(key.getNamespace()));
            requireNamespace(view, key.getNamespace());
            ListenersResponse.Builder resp = ListenersResponse.newBuilder();
            live.stream().map(l -> l.describe(key)).filter(Objects::nonNull)
                    .sorted(Comparator.comparing((Listener l) -> l.getClient().getClientId()).thenComparing(Listener::getSinceMs))
                    .forEach(resp::addListeners);
            return reply(view, resp);
        });
    }

    /**
     * Starts a listen that sends to {@code sink} until closed; see {@link ConfigListen}. The
     * caller's permissions are checked with the start's read, after a read index, so a grant
     * just made elsewhere is seen.
     */
    public ConfigListen listen(String user, String address, ListenRequest r,
                               io.cairn.server.watch.StreamSink<io.cairn.api.config.ListenResponse> sink) {
        Selection s = selection(r);
        ConfigListen listen = new ConfigListen(s.namespace, s.selected, r.getClient(), address, sink, stats, watches,
                listeners, timer, () -> raft.leader() != null, live::remove);
        live.add(listen);
        try {
            startListen(user, r, s, listen);
        } catch (RuntimeException e) {
            listen.close(); // a start refused at once (the member stopping) leaves nothing behind
            throw e;
        }
        return listen;
    }

    private void startListen(String user, ListenRequest r, Selection s, ConfigListen listen) {
        listen.start(r.getRevision(), after -> kv.read(false, view -> {
            for (ByteString prefix : s.readPrefixes) {
                readable(user, prefix);
            }
            requireNamespace(view, s.namespace);
            listen.show(secrets.shown(user, s.namespace, r.getReveal()));
            Map<ByteString, String> contents = new HashMap<>();
            List<KeyValue> metas = new ArrayList<>();
            for (KeyValue m : s.read(view, s.metas, s.exact)) {
                ConfigKey k = ConfigKeys.parse(m.getKey());
                if (k != null && s.selected.test(k)) {
                    metas.add(m);
                    contents.put(ConfigKeys.content(k), ConfigServer.text(view, ConfigKeys.content(k)));
                }
            }
            return new ConfigListen.Start(headers.complete(ResponseHeader.newBuilder().setRevision(view.revision()).build()),
                    metas, contents, s.read(view, s.grays, s.exact), after == 0 ? List.of() : s.read(view, s.history, false));
        }));
    }

    /**
     * What a listen selects, and where each of its areas is read: a prefix (namespace or group)
     * or, for a set of configs ({@code exact}), each one's own metadata and gray keys (its history
     * is always a prefix).
     */
    private record Selection(String namespace, Predicate<ConfigKey> selected, List<ByteString> readPrefixes,
                             List<ByteString> metas, List<ByteString> grays, List<ByteString> history, boolean exact) {
        /** What is at each place: a prefix, or with {@code exact} a key. */
        List<KeyValue> read(TxnRead view, List<ByteString> where, boolean exact) {
            List<KeyValue> out = new ArrayList<>();
            for (ByteString at : where) {
                out.addAll(view.range(at, exact ? null : ConfigKeys.end(at), RangeOptions.LATEST).kvs());
            }
            return out;
        }
    }

    private static Selection selection(ListenRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        if (r.getConfigsCount() > 0) {
            if (!r.getGroup().isEmpty()) {
                throw ServerError.CONFIG_INVALID.exception("a listen names configs or a group, not both");
            }
            java.util.Set<ConfigKey> keys = new java.util.LinkedHashSet<>();
            for (ConfigKey k : r.getConfigsList()) {
                if (!k.getNamespace().isEmpty() && !k.getNamespace().equals(ns)) {
                    throw ServerError.CONFIG_INVALID.exception("config " + ConfigKeys.describe(k) + " is not in namespace " + ns);
                }
                keys.add(ConfigKeys.check(k.toBuilder().setNamespace(ns).build()));
            }
            List<ByteString> metas = keys.stream().map(ConfigKeys::meta).toList();
            List<ByteString> grays = keys.stream().map(ConfigKeys::gray).toList();
            List<ByteString> history = keys.stream().map(ConfigKeys::historyPrefix).toList();
            List<ByteString> readable = new ArrayList<>(history);
            readable.addAll(List.of(ConfigKeys.grayPrefix(ns), ConfigKeys.metaPrefix(ns), ConfigKeys.contentPrefix(ns)));
            return new Selection(ns, keys::contains, readable, metas, grays, history, true);
        }
        if (!r.getGroup().isEmpty()) {
            String group = ConfigKeys.checkName("group", r.getGroup());
            List<ByteString> metas = List.of(ConfigKeys.metaPrefix(ns, group));
            List<ByteString> grays = List.of(ConfigKeys.grayPrefix(ns, group));
            List<ByteString> history = List.of(ConfigKeys.historyPrefix(ns, group));
            return new Selection(ns, k -> k.getGroup().equals(group), List.of(history.get(0), grays.get(0), metas.get(0),
                    ConfigKeys.contentPrefix(ns, group)), metas, grays, history, false);
        }
        return new Selection(ns, k -> true, ConfigKeys.readPrefixes(ns), List.of(ConfigKeys.metaPrefix(ns)),
                List.of(ConfigKeys.grayPrefix(ns)), List.of(ConfigKeys.historyPrefix(ns)), false);
    }

    /** Configs that exist, in every namespace, as this member has them: counted at most every 5 s. */
    public synchronized long configs() {
        long now = System.nanoTime();
        if (census < 0 || now - censusNanos > java.util.concurrent.TimeUnit.SECONDS.toNanos(5)) {
            ByteString prefix = ByteString.copyFromUtf8("/cairn/config-meta/");
            census = kv.read(true, view -> view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs().stream()
                    .filter(m -> !m.getValue().toStringUtf8().contains("\"change\":\"DELETED\"")).count()).join();
            censusNanos = now;
        }
        return census;
    }

    /** Listens open on this member. */
    public int listeners() {
        return listeners.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private boolean mayRead(String user, String namespace) {
        try {
            readable(user, ConfigKeys.metaPrefix(namespace));
            return true;
        } catch (io.cairn.server.errors.ServerException e) {
            return false;
        }
    }

    private void readable(String user, ByteString prefix) {
        access.policy().checkRead(user, prefix, ConfigKeys.end(prefix));
    }

    @SuppressWarnings("unchecked")
    private <T> T reply(TxnRead view, com.google.protobuf.Message.Builder b) {
        com.google.protobuf.Descriptors.FieldDescriptor field = b.getDescriptorForType().findFieldByName("header");
        b.setField(field, headers.complete(ResponseHeader.newBuilder().setRevision(view.revision()).build()));
        return (T) b.build();
    }

    private static Namespace builtin() {
        return Namespace.newBuilder().setName(ConfigKeys.DEFAULT_NAMESPACE).setBuiltin(true).build();
    }

    private static Namespace requireNamespace(TxnRead view, String name) {
        if (name.equals(ConfigKeys.DEFAULT_NAMESPACE)) {
            return builtin();
        }
        List<KeyValue> kvs = view.range(ConfigKeys.namespaceKey(name), null, RangeOptions.LATEST).kvs();
        Namespace ns = kvs.isEmpty() ? null : ConfigJson.decode(kvs.get(0).getValue(), Namespace.newBuilder());
        if (ns == null) {
            throw ServerError.CONFIG_NAMESPACE_NOT_FOUND.exception(name);
        }
        return ns;
    }

    private static Namespace describe(TxnRead view, Namespace ns) {
        return ns.toBuilder().setConfigs(current(view, ConfigKeys.metaPrefix(ns.getName())).size()).build();
    }

    /** The configs under a meta prefix that exist now. */
    private static List<ConfigVersion> current(TxnRead view, ByteString metaPrefix) {
        List<ConfigVersion> out = new ArrayList<>();
        for (ConfigVersion v : versions(view, metaPrefix)) {
            if (v.getChange() != Change.DELETED) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<ConfigVersion> versions(TxnRead view, ByteString prefix) {
        List<ConfigVersion> out = new ArrayList<>();
        for (KeyValue entry : view.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs()) {
            ConfigVersion v = ConfigJson.version(entry);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static ConfigVersion kept(TxnRead view, ConfigKey key, long version) {
        ConfigVersion v = ConfigServer.version(view, ConfigKeys.history(key, version));
        if (v == null) {
            throw ServerError.CONFIG_NOT_FOUND.exception("version " + version + " of " + ConfigKeys.describe(key)
                    + " is not in its history");
        }
        return v;
    }

    private static GrayRelease gray(TxnRead view, ConfigKey key) {
        List<KeyValue> kvs = view.range(ConfigKeys.gray(key), null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : ConfigJson.gray(kvs.get(0));
    }

    /** A page size as asked (a uint32, so perhaps beyond int), at most {@link #MAX_PAGE}; 0 for the most. */
    private static int pageSize(int asked) {
        return asked == 0 ? MAX_PAGE : (int) Math.min(Integer.toUnsignedLong(asked), MAX_PAGE);
    }

    private static long token(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw ServerError.CONFIG_INVALID.exception("page token \"" + token + "\" is not one this call gave");
        }
    }

    /** A data id pattern: * matches any run of characters, everything else itself. */
    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
