package io.cairn.client;

import io.cairn.api.config.AbortGrayRequest;
import io.cairn.api.config.AuditRequest;
import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceRequest;
import io.cairn.api.config.DeleteRequest;
import io.cairn.api.config.DescribeNamespaceRequest;
import io.cairn.api.config.DiffRequest;
import io.cairn.api.config.ExportRequest;
import io.cairn.api.config.GetDraftRequest;
import io.cairn.api.config.GetGrayRequest;
import io.cairn.api.config.ListenersRequest;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.ImportRequest;
import io.cairn.api.config.ListDraftsRequest;
import io.cairn.api.config.ListNamespacesRequest;
import io.cairn.api.config.ListRequest;
import io.cairn.api.config.PromoteGrayRequest;
import io.cairn.api.config.ReviewDraftRequest;
import io.cairn.api.config.RollbackRequest;
import io.cairn.api.config.SetSchemaRequest;
import io.cairn.api.config.StartGrayRequest;
import io.cairn.api.config.StatusRequest;
import io.cairn.api.config.UpdateNamespaceRequest;
import io.cairn.client.config.AuditPage;
import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigDiff;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigPage;
import io.cairn.client.config.ConfigQuery;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Draft;
import io.cairn.client.config.Expect;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.ListeningClient;
import io.cairn.client.config.ImportPolicy;
import io.cairn.client.config.ImportResult;
import io.cairn.client.config.Namespace;
import io.cairn.client.config.Publish;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Cairn's config center: namespaces of configs named by group and data id, published as
 * versions (a compare-and-set, checked against the config's format and schema), read, listed,
 * diffed, rolled back, released gradually (gray releases), exported and imported, audited; and
 * listened to. Its types are in {@link io.cairn.client.config}.
 *
 * <pre>{@code
 * Configs configs = client.config();
 * ConfigKey orders = ConfigKey.of("orders.yaml");                       // default namespace and group
 * Config v1 = configs.sync().publish(Publish.builder(orders, "db:\n  pool: 20\n").format(Format.YAML).mustNotExist().build());
 * configs.sync().publish(Publish.builder(orders, "db:\n  pool: 40\n").expectVersion(v1.version()).build());
 *
 * try (ConfigSubscription s = configs.listen(ConfigSelection.group("DEFAULT_GROUP"),
 *         c -> System.out.println(c.key() + " v" + c.version() + ": " + c.values().getInt("db.pool", 10)))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Every call answers a future completed on a client thread (do not block in its callbacks),
 * failed with a {@link CairnException} carrying the server's message ("config: version
 * conflict: ...", "config: content does not parse as its format: ... line 3"); {@link #sync()}
 * waits instead. Reads are retried on another member when one is unavailable; changes never are.
 *
 * <p>Gets and listens carry the client's id and labels ({@code Client.builder().clientId(..)
 * .labels(..)}), so that a gray release that matches the client serves it its candidate. With
 * {@code Client.builder().configSnapshots(dir)}, every current version the client gets or is
 * told is kept in a file there, and a get or a first listen that cannot reach the cluster is
 * answered from it ({@link Config#fromSnapshot()}, and a warning in the log); configs with
 * secrets are never kept there.
 *
 * <p>Secrets ({@link io.cairn.client.config.Secrets}): every read asks to reveal them, and gets
 * them in clear where the client's user may (read permission on
 * {@code /cairn/config-reveal/<namespace>/}); otherwise masked, as {@link Config#masked()} says.
 */
public final class Configs {
    private static final System.Logger LOG = System.getLogger(Configs.class.getName());

    private final Calls calls;
    private final Executor listeners;
    private final ClientInfo client;
    private final ConfigSnapshots snapshots;
    private final Sync sync = new Sync();
    /** Guards the map and every feed's joining and leaving, so that a feed is never joined as it stops. */
    private final Map<ConfigSelection, ConfigFeed> feeds = new HashMap<>();

    /** Null when the client reports no rollout receipts. */
    private final ConfigReceipts receipts;

    /**
     * @param snapshots null when the client keeps no snapshot files
     * @param receipts  null when the client reports no rollout receipts
     */
    Configs(Calls calls, Executor listeners, ClientInfo client, ConfigSnapshots snapshots, ConfigReceipts receipts) {
        this.calls = calls;
        this.listeners = listeners;
        this.client = client;
        this.snapshots = snapshots;
        this.receipts = receipts;
    }

    /**
     * The config's current version for this client: the candidate of a gray release that
     * matches it, else the version published to all. Fails with NOT_FOUND ("config: not
     * found") for a config that does not exist (or was deleted). When the cluster cannot be
     * reached, the version in the snapshot file, if there is one.
     */
    public CompletableFuture<Config> get(ConfigKey key) {
        return read(key, 0).handle((config, failure) -> {
            if (failure == null) {
                if (snapshots != null) {
                    snapshots.save(config);
                }
                return CompletableFuture.completedFuture(config);
            }
            CairnException why = CairnException.of(failure);
            if (why.code() == CairnException.Code.NOT_FOUND && snapshots != null) {
                snapshots.forget(key); // a config that does not exist has no last version to fall back on
            }
            Optional<Config> kept = unreachable(why) && snapshots != null ? snapshots.load(key) : Optional.empty();
            if (kept.isEmpty()) {
                return CompletableFuture.<Config>failedFuture(why);
            }
            Config c = kept.get();
            LOG.log(System.Logger.Level.WARNING, "config " + key + ": the cluster cannot be reached (" + why.getMessage()
                    + "); using version " + c.version() + " from the snapshot file " + snapshots.file(key));
            return c.deleted() ? CompletableFuture.<Config>failedFuture(new CairnException(CairnException.Code.NOT_FOUND,
                    "config: not found (deleted, as the snapshot file says)", why)) : CompletableFuture.completedFuture(c);
        }).thenCompose(f -> f);
    }

    /** A past version, while history keeps it (with its content); never from the snapshot files. */
    public CompletableFuture<Config> get(ConfigKey key, long version) {
        if (version < 1) {
            throw new IllegalArgumentException("a version is at least 1, not " + version);
        }
        return read(key, version);
    }

    private CompletableFuture<Config> read(ConfigKey key, long version) {
        // an application reads its secrets in clear: where there are any, its user needs the reveal permission
        GetRequest r = GetRequest.newBuilder().setKey(ConfigWire.key(key)).setVersion(version).setClient(client)
                .setReveal(true).build();
        return calls.unary(ConfigGrpc.getGetMethod(), r, true).thenApply(g -> ConfigWire.config(g.getConfig(), g.getGray()));
    }

    private static boolean unreachable(CairnException e) {
        return e.code() == CairnException.Code.UNAVAILABLE || e.code() == CairnException.Code.DEADLINE_EXCEEDED;
    }

    /** Publishes new content; answers the version written, without its content. */
    public CompletableFuture<Config> publish(Publish publish) {
        return calls.unary(ConfigGrpc.getPublishMethod(), ConfigWire.publish(publish), false)
                .thenApply(ConfigWire::published);
    }

    /** Publishes {@code content} in {@code format}, whatever the current version. */
    public CompletableFuture<Config> publish(ConfigKey key, String content, Format format) {
        return publish(Publish.builder(key, content).format(format).build());
    }

    /** Deletes the config, whatever its version: a new version with no content, kept in history. */
    public CompletableFuture<Config> delete(ConfigKey key) {
        return delete(key, Expect.ANY, "");
    }

    /** @param expect ANY or a version ({@link Expect#absent()} makes no sense for a delete) */
    public CompletableFuture<Config> delete(ConfigKey key, Expect expect, String comment) {
        DeleteRequest.Builder r = DeleteRequest.newBuilder().setKey(ConfigWire.key(key)).setComment(comment);
        if (expectVersion(expect)) {
            r.setExpectedVersion(expect.version());
        }
        return calls.unary(ConfigGrpc.getDeleteMethod(), r.build(), false).thenApply(ConfigWire::published);
    }

    private static boolean expectVersion(Expect expect) {
        if (expect.kind() == Expect.Kind.ABSENT) {
            throw new IllegalArgumentException("only a publish can expect the config not to exist");
        }
        return expect.kind() == Expect.Kind.VERSION;
    }

    /** One page of a namespace's configs, as the query filters them. */
    public CompletableFuture<ConfigPage> list(ConfigQuery q) {
        ListRequest r = ListRequest.newBuilder().setReveal(true).setNamespace(q.namespace()).setGroup(q.group()).setDataIdPattern(q.dataIdPattern())
                .setContentContains(q.contentContains()).setPageSize(q.pageSize()).setPageToken(q.pageToken())
                .setWithContent(q.withContent()).build();
        return calls.unary(ConfigGrpc.getListMethod(), r, true).thenApply(l -> new ConfigPage(
                l.getConfigsList().stream().map(v -> ConfigWire.config(v, false)).toList(), l.getNextPageToken()));
    }

    /** Every config the query finds, page after page from its page token on. */
    public CompletableFuture<List<Config>> listAll(ConfigQuery q) {
        return pages(q, new ArrayList<>());
    }

    private CompletableFuture<List<Config>> pages(ConfigQuery q, List<Config> found) {
        return list(q).thenCompose(page -> {
            found.addAll(page.configs());
            return page.hasMore() ? pages(q.page(page.nextPageToken()), found) : CompletableFuture.completedFuture(List.copyOf(found));
        });
    }

    /**
     * One page of the config's versions, newest first, without content.
     *
     * @param pageSize  at most this many (0: the server's default and maximum, 500)
     * @param pageToken empty for the first page, then the previous page's {@link ConfigPage#nextPageToken()}
     */
    public CompletableFuture<ConfigPage> history(ConfigKey key, int pageSize, String pageToken) {
        if (pageSize < 0) {
            throw new IllegalArgumentException("page size " + pageSize + " is negative");
        }
        HistoryRequest r = HistoryRequest.newBuilder().setKey(ConfigWire.key(key)).setPageSize(pageSize)
                .setPageToken(Objects.requireNonNull(pageToken, "pageToken")).build();
        return calls.unary(ConfigGrpc.getHistoryMethod(), r, true).thenApply(h -> new ConfigPage(
                h.getVersionsList().stream().map(v -> ConfigWire.config(v, false)).toList(), h.getNextPageToken()));
    }

    /** A unified diff from one version to another (0: the current one), with 3 lines of context. */
    public CompletableFuture<ConfigDiff> diff(ConfigKey key, long fromVersion, long toVersion) {
        return diff(key, fromVersion, toVersion, 3);
    }

    /** @param context lines of context around each change */
    public CompletableFuture<ConfigDiff> diff(ConfigKey key, long fromVersion, long toVersion, int context) {
        if (context < 0) {
            throw new IllegalArgumentException("context " + context + " is negative");
        }
        DiffRequest r = DiffRequest.newBuilder().setReveal(true).setKey(ConfigWire.key(key)).setFromVersion(fromVersion).setToVersion(toVersion)
                .setContext(context).build();
        return calls.unary(ConfigGrpc.getDiffMethod(), r, true)
                .thenApply(d -> new ConfigDiff(d.getUnifiedDiff(), d.getFromVersion(), d.getToVersion()));
    }

    /** Publishes a past version's content and format again, as a new version, whatever the current one. */
    public CompletableFuture<Config> rollback(ConfigKey key, long toVersion) {
        return rollback(key, toVersion, Expect.ANY, "");
    }

    /** @param expect ANY or the version that must be current */
    public CompletableFuture<Config> rollback(ConfigKey key, long toVersion, Expect expect, String comment) {
        RollbackRequest.Builder r = RollbackRequest.newBuilder().setKey(ConfigWire.key(key)).setToVersion(toVersion).setComment(comment);
        if (expectVersion(expect)) {
            r.setExpectedVersion(expect.version());
        }
        return calls.unary(ConfigGrpc.getRollbackMethod(), r.build(), false).thenApply(ConfigWire::published);
    }

    /**
     * Attaches a JSON Schema (draft 2020-12 unless it says otherwise) that the config's YAML or
     * JSON content must satisfy from now on; the current content must satisfy it. An empty
     * schema removes it.
     */
    public CompletableFuture<Header> setSchema(ConfigKey key, String jsonSchema) {
        SetSchemaRequest r = SetSchemaRequest.newBuilder().setKey(ConfigWire.key(key)).setJsonSchema(jsonSchema).build();
        return calls.unary(ConfigGrpc.getSetSchemaMethod(), r, false).thenApply(s -> Wire.header(s.getHeader()));
    }

    /** Creates a namespace; fails with ALREADY_EXISTS ("config: namespace already exists"). */
    public CompletableFuture<Namespace> createNamespace(String name, String description) {
        return createNamespace(name, description, false);
    }

    /** @param reviewRequired publishes, deletes and rollbacks in it become drafts a reviewer must approve */
    public CompletableFuture<Namespace> createNamespace(String name, String description, boolean reviewRequired) {
        CreateNamespaceRequest r = CreateNamespaceRequest.newBuilder().setName(ConfigKey.checkName("namespace", name))
                .setDescription(description).setReviewRequired(reviewRequired).build();
        return calls.unary(ConfigGrpc.getCreateNamespaceMethod(), r, false).thenApply(n -> ConfigWire.namespace(n.getNamespace()));
    }

    /**
     * Turns review on or off for a namespace (not the default one); root's, as creating one.
     * Drafts made while it was on stay, to be approved or rejected.
     */
    public CompletableFuture<Namespace> setReviewRequired(String name, boolean required) {
        UpdateNamespaceRequest r = UpdateNamespaceRequest.newBuilder().setName(ConfigKey.checkName("namespace", name))
                .setReviewRequired(required).build();
        return calls.unary(ConfigGrpc.getUpdateNamespaceMethod(), r, false).thenApply(n -> ConfigWire.namespace(n.getNamespace()));
    }

    /**
     * Wraps every namespace's data key again with the master key's new primary, after each
     * member's key file gained it: root's. Answers how many data keys were rewrapped.
     */
    public CompletableFuture<Integer> rotateSecrets() {
        return calls.unary(ConfigGrpc.getRotateSecretsMethod(), io.cairn.api.config.RotateSecretsRequest.getDefaultInstance(), false)
                .thenApply(io.cairn.api.config.RotateSecretsResponse::getRewrapped);
    }

    /** A namespace's pending drafts, oldest first, without their content. */
    public CompletableFuture<List<Draft>> drafts(String namespace) {
        ListDraftsRequest r = ListDraftsRequest.newBuilder().setNamespace(ConfigKey.checkName("namespace", namespace)).build();
        return calls.unary(ConfigGrpc.getListDraftsMethod(), r, true)
                .thenApply(l -> l.getDraftsList().stream().map(ConfigWire::draft).toList());
    }

    /** One config's pending drafts, oldest first, without their content. */
    public CompletableFuture<List<Draft>> drafts(ConfigKey key) {
        ListDraftsRequest r = ListDraftsRequest.newBuilder().setNamespace(key.namespace()).setGroup(key.group())
                .setDataId(key.dataId()).build();
        return calls.unary(ConfigGrpc.getListDraftsMethod(), r, true)
                .thenApply(l -> l.getDraftsList().stream().map(ConfigWire::draft).toList());
    }

    /** A draft with its content and the diff it makes to the current version; NOT_FOUND once reviewed. */
    public CompletableFuture<Draft.WithDiff> draft(ConfigKey key, long id) {
        GetDraftRequest r = GetDraftRequest.newBuilder().setReveal(true).setKey(ConfigWire.key(key)).setId(id).build();
        return calls.unary(ConfigGrpc.getGetDraftMethod(), r, true)
                .thenApply(d -> new Draft.WithDiff(ConfigWire.draft(d.getDraft()), d.getCurrentVersion(), d.getUnifiedDiff()));
    }

    /**
     * Approves a draft, which publishes it as its author's, with this user as the reviewer. Fails
     * (FAILED_PRECONDITION) for the draft's author, with auth off, or when the config changed
     * since the draft was made; PERMISSION_DENIED for a user who is not the namespace's reviewer.
     */
    public CompletableFuture<Config> approve(ConfigKey key, long id, String comment) {
        return review(key, id, true, comment).thenApply(r -> ConfigWire.config(r.getConfig(), false));
    }

    /** Rejects a draft (its author may withdraw it so, or any reviewer); nothing is published. */
    public CompletableFuture<Header> reject(ConfigKey key, long id, String comment) {
        return review(key, id, false, comment).thenApply(r -> Wire.header(r.getHeader()));
    }

    private CompletableFuture<io.cairn.api.config.ReviewDraftResponse> review(ConfigKey key, long id, boolean approve, String comment) {
        ReviewDraftRequest r = ReviewDraftRequest.newBuilder().setKey(ConfigWire.key(key)).setId(id).setApprove(approve)
                .setComment(Objects.requireNonNull(comment, "comment")).build();
        return calls.unary(ConfigGrpc.getReviewDraftMethod(), r, false);
    }

    /** Every namespace, with its config count. */
    public CompletableFuture<List<Namespace>> listNamespaces() {
        return calls.unary(ConfigGrpc.getListNamespacesMethod(), ListNamespacesRequest.getDefaultInstance(), true)
                .thenApply(l -> l.getNamespacesList().stream().map(ConfigWire::namespace).toList());
    }

    /** A namespace; fails with NOT_FOUND ("config: namespace not found"). */
    public CompletableFuture<Namespace> describeNamespace(String name) {
        DescribeNamespaceRequest r = DescribeNamespaceRequest.newBuilder().setName(name).build();
        return calls.unary(ConfigGrpc.getDescribeNamespaceMethod(), r, true).thenApply(n -> ConfigWire.namespace(n.getNamespace()));
    }

    /**
     * Deletes a namespace that holds no configs (FAILED_PRECONDITION, "config: namespace is not
     * empty", otherwise); its history goes with it, its audit records stay.
     */
    public CompletableFuture<Header> deleteNamespace(String name) {
        DeleteNamespaceRequest r = DeleteNamespaceRequest.newBuilder().setName(name).build();
        return calls.unary(ConfigGrpc.getDeleteNamespaceMethod(), r, false).thenApply(d -> Wire.header(d.getHeader()));
    }

    /** Starts a gray release of {@code content} in the config's current format, without a comment. */
    public CompletableFuture<GrayRelease> startGray(ConfigKey key, String content, GrayRules rules) {
        return startGray(key, content, null, rules, "");
    }

    /**
     * Starts a gray release: {@code content} is served, beside the current version, to the
     * clients the rules match (their gets and listens), until promoted or aborted.
     *
     * @param format null for the config's current format
     */
    public CompletableFuture<GrayRelease> startGray(ConfigKey key, String content, Format format, GrayRules rules, String comment) {
        StartGrayRequest.Builder r = StartGrayRequest.newBuilder().setKey(ConfigWire.key(key)).setContent(content)
                .setRules(ConfigWire.rules(rules)).setComment(comment);
        if (format != null) {
            r.setFormat(ConfigWire.format(format));
        }
        return calls.unary(ConfigGrpc.getStartGrayMethod(), r.build(), false).thenApply(g -> ConfigWire.gray(g.getGray()));
    }

    /** The gray release under way for the config; empty when there is none. */
    public CompletableFuture<Optional<GrayRelease>> getGray(ConfigKey key) {
        GetGrayRequest r = GetGrayRequest.newBuilder().setReveal(true).setKey(ConfigWire.key(key)).build();
        return calls.unary(ConfigGrpc.getGetGrayMethod(), r, true).handle((g, failure) -> {
            if (failure == null) {
                return g.hasGray() ? Optional.of(ConfigWire.gray(g.getGray())) : Optional.<GrayRelease>empty();
            }
            CairnException why = CairnException.of(failure);
            if (why.code() == CairnException.Code.NOT_FOUND && why.getMessage().contains("no gray release")) {
                return Optional.<GrayRelease>empty();
            }
            throw why;
        });
    }

    /**
     * The clients listening to the config through the member this call reaches, and what each
     * was last sent: who got a gray release's candidate. Members know only their own listeners;
     * a client built on one member's endpoint asks that member, so ask each for the whole cluster.
     */
    public CompletableFuture<List<ListeningClient>> listeners(ConfigKey key) {
        ListenersRequest r = ListenersRequest.newBuilder().setKey(ConfigWire.key(key)).build();
        return calls.unary(ConfigGrpc.getListenersMethod(), r, true)
                .thenApply(resp -> resp.getListenersList().stream().map(ConfigWire::listener).toList());
    }

    /** Publishes the gray release's candidate to all, as a new version, and ends the release. */
    public CompletableFuture<Config> promoteGray(ConfigKey key, String comment) {
        PromoteGrayRequest r = PromoteGrayRequest.newBuilder().setKey(ConfigWire.key(key)).setComment(comment).build();
        return calls.unary(ConfigGrpc.getPromoteGrayMethod(), r, false).thenApply(ConfigWire::published);
    }

    /** Ends the gray release; the clients it served go back to the current version. */
    public CompletableFuture<Header> abortGray(ConfigKey key, String comment) {
        AbortGrayRequest r = AbortGrayRequest.newBuilder().setKey(ConfigWire.key(key)).setComment(comment).build();
        return calls.unary(ConfigGrpc.getAbortGrayMethod(), r, false).thenApply(a -> Wire.header(a.getHeader()));
    }

    /** The namespace as one JSON document: every config with its format, version and schema. */
    public CompletableFuture<String> exportNamespace(String namespace) {
        ExportRequest r = ExportRequest.newBuilder().setReveal(true).setNamespace(namespace).build();
        return calls.unary(ConfigGrpc.getExportMethod(), r, true).thenApply(e -> e.getDocument());
    }

    /** Imports an exported document into {@code namespace} (which must exist), as one change. */
    public CompletableFuture<ImportResult> importNamespace(String namespace, String document, ImportPolicy policy, String comment) {
        ImportRequest r = ImportRequest.newBuilder().setNamespace(namespace).setDocument(document)
                .setPolicy(ConfigWire.policy(policy)).setComment(comment).build();
        return calls.unary(ConfigGrpc.getImportMethod(), r, false)
                .thenApply(i -> new ImportResult(i.getCreated(), i.getUpdated(), i.getSkipped()));
    }

    /** One page of the namespace's audit records, newest first. */
    public CompletableFuture<AuditPage> audit(AuditQuery q) {
        AuditRequest.Builder r = AuditRequest.newBuilder().setNamespace(q.namespace()).setUser(q.user())
                .setPageSize(q.pageSize()).setPageToken(q.pageToken());
        q.since().ifPresent(t -> r.setSinceMs(t.toEpochMilli()));
        q.until().ifPresent(t -> r.setUntilMs(t.toEpochMilli()));
        return calls.unary(ConfigGrpc.getAuditMethod(), r.build(), true).thenApply(a -> new AuditPage(
                a.getRecordsList().stream().map(ConfigWire::audit).toList(), a.getNextPageToken()));
    }

    /**
     * Where a config's rollout stands: every running client that listens to it (through a
     * client that reports receipts, as clients do unless built with {@code configReceipts(false)}),
     * the version its listeners were last told and whether they all took it; and how many
     * clients run each version.
     */
    public CompletableFuture<Rollout> status(ConfigKey key) {
        StatusRequest r = StatusRequest.newBuilder().setKey(ConfigWire.key(key)).build();
        return calls.unary(ConfigGrpc.getStatusMethod(), r, true).thenApply(s -> ConfigWire.rollout(key, s));
    }

    /**
     * Completes with the rollout once every running client of the config has applied
     * {@code version} or a later one (at once when no client listens to it). Fails with
     * FAILED_PRECONDITION as soon as a client says its listeners failed to apply it, and with
     * DEADLINE_EXCEEDED when {@code timeout} passes first; both messages name the clients.
     */
    public CompletableFuture<Rollout> awaitApplied(ConfigKey key, long version, Duration timeout) {
        CompletableFuture<Rollout> done = new CompletableFuture<>();
        pollApplied(key, version, timeout, System.nanoTime() + timeout.toNanos(), done);
        return done;
    }

    private void pollApplied(ConfigKey key, long version, Duration timeout, long deadline, CompletableFuture<Rollout> done) {
        status(key).whenComplete((rollout, failure) -> {
            boolean late = System.nanoTime() - deadline >= 0;
            if (failure != null && (late || !unreachable(CairnException.of(failure)))) {
                done.completeExceptionally(CairnException.of(failure));
                return;
            }
            if (failure == null) {
                List<Receipt> failed = rollout.failed(version);
                List<Receipt> behind = rollout.notApplied(version);
                if (!failed.isEmpty()) {
                    done.completeExceptionally(new CairnException(CairnException.Code.FAILED_PRECONDITION, "config: "
                            + failed.size() + " of " + rollout.receipts().size() + " instances failed to apply version "
                            + version + " of " + key + ": " + describe(failed), null));
                    return;
                }
                if (behind.isEmpty()) {
                    done.complete(rollout);
                    return;
                }
                if (late) {
                    done.completeExceptionally(new CairnException(CairnException.Code.DEADLINE_EXCEEDED, "config: "
                            + behind.size() + " of " + rollout.receipts().size() + " instances have not applied version "
                            + version + " of " + key + " after " + timeout.toMillis() + " ms: " + describe(behind), null));
                    return;
                }
            }
            calls.timer().schedule(() -> pollApplied(key, version, timeout, deadline, done), 200, TimeUnit.MILLISECONDS);
        });
    }

    private static String describe(List<Receipt> receipts) {
        return receipts.stream().limit(10).map(r -> r.clientId() + " (version " + r.version() + (r.gray() ? ", gray" : "")
                + (r.applied() ? "" : ", failed: " + r.error()) + ")").collect(java.util.stream.Collectors.joining(", "))
                + (receipts.size() > 10 ? " and " + (receipts.size() - 10) + " more" : "");
    }

    /** A listener of this client was told {@code config}: it took it ({@code failure} null) or threw. */
    void told(ConfigSubscription subscription, Config config, Throwable failure) {
        if (receipts != null) {
            receipts.told(subscription, config, failure);
        }
    }

    /**
     * Listens to a selection of configs: {@code listener} is told the current version of each,
     * then every new one, in order, until the answer is closed; see {@link ConfigListener}.
     * All of the client's subscriptions to one selection share one stream.
     */
    public ConfigSubscription listen(ConfigSelection selection, ConfigListener listener) {
        return subscribe(selection, Objects.requireNonNull(listener, "listener"));
    }

    /** A view of one config's content, kept current until closed; see {@link ConfigView#ready()}. */
    public ConfigView view(ConfigKey key) {
        return view(key, null);
    }

    /** The same, also telling {@code listener} (may be null) of each version once the view holds it. */
    public ConfigView view(ConfigKey key, ConfigListener listener) {
        ConfigView view = new ConfigView(key, listener);
        view.subscribed(subscribe(ConfigSelection.configs(key), view.updater()));
        return view;
    }

    private ConfigSubscription subscribe(ConfigSelection selection, ConfigListener listener) {
        synchronized (feeds) {
            // a feed that was refused has stopped: a new subscription tries afresh
            ConfigFeed feed = feeds.compute(selection,
                    (s, f) -> f == null || f.stopped() ? new ConfigFeed(s, calls, client, snapshots) : f);
            ConfigSubscription subscription = new ConfigSubscription(feed, listener, listeners, this);
            feed.join(subscription);
            return subscription;
        }
    }

    void release(ConfigFeed feed, ConfigSubscription subscription) {
        synchronized (feeds) {
            if (feed.leave(subscription)) {
                feeds.remove(feed.selection(), feed);
            }
        }
        if (receipts != null) {
            receipts.forget(subscription);
        }
    }

    /** How many Listen streams the client has open: one per selection listened to. */
    int streams() {
        synchronized (feeds) {
            return feeds.size();
        }
    }

    /** The client is closing: every listen stops without telling its listeners, and the snapshot files are written. */
    void closeAll() {
        synchronized (feeds) {
            feeds.values().forEach(ConfigFeed::close);
            feeds.clear();
        }
        if (receipts != null) {
            // the receipts' lease is revoked so they go at once; an unreachable cluster lets them expire
            try {
                receipts.close().get(Math.min(3000, calls.timeout().toMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "the rollout receipts' lease was not revoked; it expires by itself");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (snapshots != null) {
            snapshots.flush();
        }
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    /** Blocking twins of {@link Configs}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** @see Configs#get(ConfigKey) */
        public Config get(ConfigKey key) {
            return Calls.await(Configs.this.get(key));
        }

        /** @see Configs#get(ConfigKey, long) */
        public Config get(ConfigKey key, long version) {
            return Calls.await(Configs.this.get(key, version));
        }

        /** @see Configs#publish(Publish) */
        public Config publish(Publish publish) {
            return Calls.await(Configs.this.publish(publish));
        }

        /** @see Configs#publish(ConfigKey, String, Format) */
        public Config publish(ConfigKey key, String content, Format format) {
            return Calls.await(Configs.this.publish(key, content, format));
        }

        /** @see Configs#delete(ConfigKey) */
        public Config delete(ConfigKey key) {
            return Calls.await(Configs.this.delete(key));
        }

        /** @see Configs#delete(ConfigKey, Expect, String) */
        public Config delete(ConfigKey key, Expect expect, String comment) {
            return Calls.await(Configs.this.delete(key, expect, comment));
        }

        /** @see Configs#list(ConfigQuery) */
        public ConfigPage list(ConfigQuery query) {
            return Calls.await(Configs.this.list(query));
        }

        /** @see Configs#listAll(ConfigQuery) */
        public List<Config> listAll(ConfigQuery query) {
            return Calls.await(Configs.this.listAll(query));
        }

        /** @see Configs#history(ConfigKey, int, String) */
        public ConfigPage history(ConfigKey key, int pageSize, String pageToken) {
            return Calls.await(Configs.this.history(key, pageSize, pageToken));
        }

        /** @see Configs#diff(ConfigKey, long, long) */
        public ConfigDiff diff(ConfigKey key, long fromVersion, long toVersion) {
            return Calls.await(Configs.this.diff(key, fromVersion, toVersion));
        }

        /** @see Configs#diff(ConfigKey, long, long, int) */
        public ConfigDiff diff(ConfigKey key, long fromVersion, long toVersion, int context) {
            return Calls.await(Configs.this.diff(key, fromVersion, toVersion, context));
        }

        /** @see Configs#rollback(ConfigKey, long) */
        public Config rollback(ConfigKey key, long toVersion) {
            return Calls.await(Configs.this.rollback(key, toVersion));
        }

        /** @see Configs#rollback(ConfigKey, long, Expect, String) */
        public Config rollback(ConfigKey key, long toVersion, Expect expect, String comment) {
            return Calls.await(Configs.this.rollback(key, toVersion, expect, comment));
        }

        /** @see Configs#setSchema(ConfigKey, String) */
        public Header setSchema(ConfigKey key, String jsonSchema) {
            return Calls.await(Configs.this.setSchema(key, jsonSchema));
        }

        /** @see Configs#createNamespace(String, String) */
        public Namespace createNamespace(String name, String description) {
            return Calls.await(Configs.this.createNamespace(name, description));
        }

        /** @see Configs#createNamespace(String, String, boolean) */
        public Namespace createNamespace(String name, String description, boolean reviewRequired) {
            return Calls.await(Configs.this.createNamespace(name, description, reviewRequired));
        }

        /** @see Configs#setReviewRequired(String, boolean) */
        public Namespace setReviewRequired(String name, boolean required) {
            return Calls.await(Configs.this.setReviewRequired(name, required));
        }

        /** @see Configs#rotateSecrets() */
        public int rotateSecrets() {
            return Calls.await(Configs.this.rotateSecrets());
        }

        /** @see Configs#drafts(String) */
        public List<Draft> drafts(String namespace) {
            return Calls.await(Configs.this.drafts(namespace));
        }

        /** @see Configs#drafts(ConfigKey) */
        public List<Draft> drafts(ConfigKey key) {
            return Calls.await(Configs.this.drafts(key));
        }

        /** @see Configs#draft(ConfigKey, long) */
        public Draft.WithDiff draft(ConfigKey key, long id) {
            return Calls.await(Configs.this.draft(key, id));
        }

        /** @see Configs#approve(ConfigKey, long, String) */
        public Config approve(ConfigKey key, long id, String comment) {
            return Calls.await(Configs.this.approve(key, id, comment));
        }

        /** @see Configs#reject(ConfigKey, long, String) */
        public Header reject(ConfigKey key, long id, String comment) {
            return Calls.await(Configs.this.reject(key, id, comment));
        }

        /** @see Configs#listNamespaces() */
        public List<Namespace> listNamespaces() {
            return Calls.await(Configs.this.listNamespaces());
        }

        /** @see Configs#describeNamespace(String) */
        public Namespace describeNamespace(String name) {
            return Calls.await(Configs.this.describeNamespace(name));
        }

        /** @see Configs#deleteNamespace(String) */
        public Header deleteNamespace(String name) {
            return Calls.await(Configs.this.deleteNamespace(name));
        }

        /** @see Configs#startGray(ConfigKey, String, GrayRules) */
        public GrayRelease startGray(ConfigKey key, String content, GrayRules rules) {
            return Calls.await(Configs.this.startGray(key, content, rules));
        }

        /** @see Configs#startGray(ConfigKey, String, Format, GrayRules, String) */
        public GrayRelease startGray(ConfigKey key, String content, Format format, GrayRules rules, String comment) {
            return Calls.await(Configs.this.startGray(key, content, format, rules, comment));
        }

        /** @see Configs#listeners(ConfigKey) */
        public List<ListeningClient> listeners(ConfigKey key) {
            return Calls.await(Configs.this.listeners(key));
        }

        /** @see Configs#getGray(ConfigKey) */
        public Optional<GrayRelease> getGray(ConfigKey key) {
            return Calls.await(Configs.this.getGray(key));
        }

        /** @see Configs#promoteGray(ConfigKey, String) */
        public Config promoteGray(ConfigKey key, String comment) {
            return Calls.await(Configs.this.promoteGray(key, comment));
        }

        /** @see Configs#abortGray(ConfigKey, String) */
        public Header abortGray(ConfigKey key, String comment) {
            return Calls.await(Configs.this.abortGray(key, comment));
        }

        /** @see Configs#exportNamespace(String) */
        public String exportNamespace(String namespace) {
            return Calls.await(Configs.this.exportNamespace(namespace));
        }

        /** @see Configs#importNamespace(String, String, ImportPolicy, String) */
        public ImportResult importNamespace(String namespace, String document, ImportPolicy policy, String comment) {
            return Calls.await(Configs.this.importNamespace(namespace, document, policy, comment));
        }

        /** @see Configs#status(ConfigKey) */
        public Rollout status(ConfigKey key) {
            return Calls.await(Configs.this.status(key));
        }

        /** @see Configs#awaitApplied(ConfigKey, long, Duration) */
        public Rollout awaitApplied(ConfigKey key, long version, Duration timeout) {
            return Calls.await(Configs.this.awaitApplied(key, version, timeout));
        }

        /** @see Configs#audit(AuditQuery) */
        public AuditPage audit(AuditQuery query) {
            return Calls.await(Configs.this.audit(query));
        }

        /**
         * {@link Configs#listen}, returning once the listener has been told the current versions
         * (up to the client's timeout); a subscription that fails to get ready is closed.
         */
        public ConfigSubscription listen(ConfigSelection selection, ConfigListener listener) {
            ConfigSubscription s = Configs.this.listen(selection, listener);
            return Calls.awaitReady(s.ready(), calls.timeout(), s, "the configs of " + selection);
        }

        /** {@link Configs#view(ConfigKey)}, once it holds the current version (up to the client's timeout). */
        public ConfigView view(ConfigKey key) {
            ConfigView v = Configs.this.view(key);
            return Calls.awaitReady(v.ready(), calls.timeout(), v, "config " + key);
        }

        /** {@link Configs#view(ConfigKey, ConfigListener)}, once it holds the current version. */
        public ConfigView view(ConfigKey key, ConfigListener listener) {
            ConfigView v = Configs.this.view(key, listener);
            return Calls.awaitReady(v.ready(), calls.timeout(), v, "config " + key);
        }
    }
}
