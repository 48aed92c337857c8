package io.cairn.server.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.config.AbortGrayResponse;
import io.cairn.api.config.AuditRecord;
import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.DeleteNamespaceResponse;
import io.cairn.api.config.Draft;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.GrayResponse;
import io.cairn.api.config.ImportPolicy;
import io.cairn.api.config.ImportResponse;
import io.cairn.api.config.Namespace;
import io.cairn.api.config.NamespaceResponse;
import io.cairn.api.config.PublishResponse;
import io.cairn.api.config.ReportResponse;
import io.cairn.api.config.ReviewDraftResponse;
import io.cairn.api.config.RotateSecretsResponse;
import io.cairn.api.config.Secrets;
import io.cairn.api.config.SetSchemaResponse;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.apply.Applier;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.command.Command;
import io.cairn.server.command.ConfigChange;
import io.cairn.server.command.ConfigImport;
import io.cairn.server.command.ConfigReview;
import io.cairn.server.command.ConfigSchema;
import io.cairn.server.command.ConfigWrite;
import io.cairn.server.command.DataKey;
import io.cairn.server.command.SecretKeys;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.TxnWrite;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies config changes: each reads what it depends on, checks it (versions, the namespace, the
 * gray release) and writes the content, metadata, history entry and audit record in one revision,
 * stamped with the leader's time carried by the command. A check that fails throws and nothing
 * is written. Deterministic: every member computes the same writes.
 */
public final class ConfigApplier implements Applier {
    /** How many versions below the kept ones a publish deletes, at most. */
    private static final long TRIM_WINDOW = 100;
    private final KvApplier kv;

    public ConfigApplier(KvApplier kv) {
        this.kv = kv;
    }

    /**
     * Who made a change, from where, when, and who approved it (in a namespace that requires
     * review); and how many audit records it wrote so far.
     */
    private static final class Actor {
        final String user;
        final String address;
        final long timeMs;
        String reviewer = "";
        long draftId;
        int audits;

        Actor(String user, String address, long timeMs) {
            this.user = user;
            this.address = address;
            this.timeMs = timeMs;
        }
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        ConfigChange c = command.getConfigChange();
        Actor actor = new Actor(command.getRequester().getUser(), c.getClientAddress(), command.getLeaderTimeMs());
        if (c.getOpCase() == ConfigChange.OpCase.RECEIPT) {
            return receipt(batch, c.getReceipt(), actor);
        }
        return kv.write(batch, txn -> switch (c.getOpCase()) {
            case WRITE -> {
                String ns = c.getWrite().getKey().getNamespace();
                if (c.getWrite().getChange() == Change.GRAY_PROMOTED) {
                    refuseUnreviewed(txn, ns, "gray releases");
                } else if (reviewRequired(txn, ns)) {
                    yield draft(txn, c.getWrite(), actor);
                }
                ConfigVersion written = write(txn, c.getWrite(), actor);
                yield PublishResponse.newBuilder().setHeader(header(txn)).setConfig(written.toBuilder().clearContent()).build();
            }
            case CREATE_NAMESPACE -> createNamespace(txn, c, actor);
            case UPDATE_NAMESPACE -> updateNamespace(txn, c, actor);
            case DELETE_NAMESPACE -> deleteNamespace(txn, c.getDeleteNamespace().getName(), actor);
            case SCHEMA -> schema(txn, c.getSchema(), actor);
            case START_GRAY -> {
                refuseUnreviewed(txn, c.getStartGray().getKey().getNamespace(), "gray releases");
                yield startGray(txn, c.getStartGray(), actor);
            }
            case ABORT_GRAY -> abortGray(txn, c.getAbortGray().getKey(), c.getAbortGray().getComment(), actor);
            case IMPORT -> {
                refuseUnreviewed(txn, c.getImport().getNamespace(), "imports");
                yield importAll(txn, c.getImport(), actor);
            }
            case REVIEW -> review(txn, c.getReview(), actor);
            case SECRET_KEYS -> secretKeys(txn, c.getSecretKeys());
            case WITHDRAW_RECEIPT -> {
                ConfigReceipt r = c.getWithdrawReceipt();
                txn.deleteRange(ConfigKeys.receipt(r.getKey(), r.getClient().getClientId(), r.getLease()), null);
                yield ReportResponse.newBuilder().setHeader(header(txn)).build();
            }
            case RECEIPT -> throw new IllegalStateException("a receipt is applied as a put");
            case OP_NOT_SET -> throw ServerError.CONFIG_INVALID.exception("an empty config change");
        });
    }

    /**
     * A client's receipt, a put on its lease (which must exist, as for any put), stamped with the
     * leader's time; no history and no audit: it says what a client did, not what changed.
     */
    private ReportResponse receipt(WriteBatch batch, ConfigReceipt r, Actor actor) {
        ConfigReceipt stamped = r.toBuilder().setTimeMs(actor.timeMs).setReporter(actor.user).build();
        PutResponse put = kv.put(batch, PutRequest.newBuilder()
                .setKey(ConfigKeys.receipt(r.getKey(), r.getClient().getClientId(), r.getLease()))
                .setValue(ConfigJson.encode(stamped)).setLease(r.getLease()).build());
        return ReportResponse.newBuilder().setHeader(put.getHeader()).build();
    }

    private ConfigVersion write(TxnWrite txn, ConfigWrite w, Actor actor) {
        ConfigKey key = w.getKey();
        requireNamespace(txn, key.getNamespace());
        requireDataKey(txn, w);
        ConfigVersion meta = meta(txn, key);
        long current = meta == null ? 0 : meta.getVersion();
        expect(w, meta);
        // an import brings its own schema, which the proposer checked the content against; a
        // delete has no content to check
        boolean imported = w.getChange() == Change.IMPORTED;
        String schema = imported ? w.getJsonSchema() : meta == null ? "" : meta.getJsonSchema();
        if (!imported && w.getChange() != Change.DELETED && !w.getSchemaMd5().equals(ConfigJson.md5OrEmpty(schema))) {
            throw ServerError.CONFIG_VERSION_CONFLICT.exception("the config's schema changed; publish again");
        }
        GrayRelease gray = gray(txn, key);
        if (w.getGrayRevision() != 0 && (gray == null || gray.getRevision() != w.getGrayRevision())) {
            throw ServerError.CONFIG_VERSION_CONFLICT.exception("the gray release changed; promote again");
        }
        long version = meta == null && w.getVersion() > 0 ? w.getVersion() : current + 1;
        boolean deleted = w.getChange() == Change.DELETED;
        String content = deleted ? "" : w.getContent();
        ConfigVersion v = ConfigVersion.newBuilder().setKey(key).setVersion(version)
                .setFormat(deleted && meta != null ? meta.getFormat() : w.getFormat())
                .setContent(content).setMd5(ConfigJson.md5(content)).setChange(w.getChange())
                .setAuthor(actor.user).setClientAddress(actor.address).setComment(w.getComment())
                .setTimeMs(actor.timeMs).setSourceVersion(w.getSourceVersion()).setReviewer(actor.reviewer)
                .setSize(content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                // a delete keeps what was secret, for the publish that brings the config back
                .setSecrets(deleted ? meta == null ? Secrets.getDefaultInstance() : meta.getSecrets() : w.getSecrets())
                .build();
        // the history entry first: the revision this command writes at is known once it is written
        txn.put(ConfigKeys.history(key, version), ConfigJson.encode(v), 0);
        if (deleted) {
            txn.deleteRange(ConfigKeys.content(key), null);
        } else {
            txn.put(ConfigKeys.content(key), ByteString.copyFromUtf8(content), 0);
        }
        // the metadata names the version's revision itself: a schema set later rewrites the key,
        // not the version
        txn.put(ConfigKeys.meta(key), ConfigJson.encode(v.toBuilder().clearContent().setJsonSchema(schema)
                .setRevision(txn.revision())), 0);
        int historyLimit = Math.max(1, w.getHistoryLimit());
        if (version > historyLimit) {
            // the versions that just fell out, within a bounded window: a range from the start
            // of the history would walk every version ever trimmed (their tombstones stay in the
            // index until compaction); a limit lowered by more than the window leaves the versions
            // below it in place
            long keepFrom = version - historyLimit + 1;
            txn.deleteRange(ConfigKeys.history(key, Math.max(0, keepFrom - TRIM_WINDOW)), ConfigKeys.history(key, keepFrom));
        }
        if (gray != null && (deleted || w.getGrayRevision() != 0)) {
            txn.deleteRange(ConfigKeys.gray(key), null);
        }
        audit(txn, actor, AuditRecord.newBuilder().setKey(key).setAction(action(w.getChange()))
                .setOldVersion(current).setNewVersion(version).setMd5(v.getMd5()).setComment(w.getComment())
                .setReviewer(actor.reviewer).setDraftId(actor.draftId));
        return v.toBuilder().setRevision(txn.revision()).build();
    }

    /** The write's expectation (a version, or that it does not exist) holds, and a delete finds the config. */
    private static void expect(ConfigWrite w, ConfigVersion meta) {
        long current = meta == null ? 0 : meta.getVersion();
        boolean exists = meta != null && meta.getChange() != Change.DELETED;
        switch (w.getExpectCase()) {
            case EXPECTED_VERSION -> {
                if (w.getExpectedVersion() != current) {
                    throw ServerError.CONFIG_VERSION_CONFLICT.exception(
                            "expected version " + w.getExpectedVersion() + ", current is " + current);
                }
            }
            case MUST_NOT_EXIST -> {
                if (exists) {
                    throw ServerError.CONFIG_VERSION_CONFLICT.exception("it exists, at version " + current);
                }
            }
            case EXPECT_NOT_SET -> { }
        }
        if (w.getChange() == Change.DELETED && !exists) {
            throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(w.getKey()));
        }
    }

    private NamespaceResponse createNamespace(TxnWrite txn, ConfigChange c, Actor actor) {
        String name = c.getCreateNamespace().getName();
        if (name.equals(ConfigKeys.DEFAULT_NAMESPACE) || !txn.range(ConfigKeys.namespaceKey(name), null, RangeOptions.LATEST).kvs().isEmpty()) {
            throw ServerError.CONFIG_NAMESPACE_EXISTS.exception(name);
        }
        Namespace ns = Namespace.newBuilder().setName(name).setDescription(c.getCreateNamespace().getDescription())
                .setReviewRequired(c.getCreateNamespace().getReviewRequired()).setCreatedMs(actor.timeMs).build();
        txn.put(ConfigKeys.namespaceKey(name), ConfigJson.encode(ns), 0);
        audit(txn, actor, AuditRecord.newBuilder().setKey(ConfigKey.newBuilder().setNamespace(name))
                .setAction("namespace-create").setComment(ns.getDescription()));
        return NamespaceResponse.newBuilder().setHeader(header(txn)).setNamespace(ns).build();
    }

    private NamespaceResponse updateNamespace(TxnWrite txn, ConfigChange c, Actor actor) {
        io.cairn.api.config.UpdateNamespaceRequest u = c.getUpdateNamespace();
        if (u.getName().equals(ConfigKeys.DEFAULT_NAMESPACE)) {
            throw ServerError.CONFIG_INVALID.exception("the default namespace cannot be changed: create one for configs that need review");
        }
        requireNamespace(txn, u.getName());
        Namespace.Builder ns = namespace(txn, u.getName()).toBuilder();
        if (u.hasDescription()) {
            ns.setDescription(u.getDescription());
        }
        if (u.hasReviewRequired()) {
            if (u.getReviewRequired() && !range(txn, ConfigKeys.grayPrefix(u.getName())).isEmpty()) {
                // its candidate was never reviewed, and review does not cover gray releases
                throw ServerError.CONFIG_REVIEW_REFUSED.exception("namespace " + u.getName()
                        + " has a gray release under way: promote or abort it before review is required");
            }
            ns.setReviewRequired(u.getReviewRequired());
        }
        txn.put(ConfigKeys.namespaceKey(u.getName()), ConfigJson.encode(ns), 0);
        audit(txn, actor, AuditRecord.newBuilder().setKey(ConfigKey.newBuilder().setNamespace(u.getName()))
                .setAction("namespace-update").setComment((ns.getReviewRequired() ? "review required" : "no review")
                        + (u.hasDescription() ? "; " + ns.getDescription() : "")));
        return NamespaceResponse.newBuilder().setHeader(header(txn)).setNamespace(ns).build();
    }

    /**
     * In a namespace that requires review, a publish, delete or rollback is stored as a draft:
     * checked as the write would be now (its expectation, that a delete finds the config), and
     * named by the revision it is stored at.
     */
    private PublishResponse draft(TxnWrite txn, ConfigWrite w, Actor actor) {
        requireDataKey(txn, w);
        ConfigVersion meta = meta(txn, w.getKey());
        expect(w, meta);
        long id = txn.revision() + (txn.changes().isEmpty() ? 1 : 0);
        Draft d = Draft.newBuilder().setKey(w.getKey()).setId(id).setChange(w.getChange()).setFormat(w.getFormat())
                .setContent(w.getChange() == Change.DELETED ? "" : w.getContent()).setMd5(w.getMd5())
                .setBaseVersion(meta == null ? 0 : meta.getVersion()).setSourceVersion(w.getSourceVersion())
                .setAuthor(actor.user).setClientAddress(actor.address).setComment(w.getComment()).setTimeMs(actor.timeMs)
                .setSecrets(w.getSecrets()).build();
        txn.put(ConfigKeys.draft(w.getKey(), id), ConfigJson.encode(d), 0);
        actor.draftId = id;
        audit(txn, actor, AuditRecord.newBuilder().setKey(w.getKey()).setAction("draft").setOldVersion(d.getBaseVersion())
                .setNewVersion(d.getBaseVersion()).setMd5(d.getMd5()).setComment(d.getComment()).setDraftId(id));
        return PublishResponse.newBuilder().setHeader(header(txn)).setDraft(d.toBuilder().clearContent()).build();
    }

    /**
     * A reviewer's verdict. Approved: the draft's write, as its author's, only if the config is
     * still at the draft's base version and the reviewer is someone else. Either way the draft goes.
     */
    private ReviewDraftResponse review(TxnWrite txn, ConfigReview r, Actor actor) {
        requireNamespace(txn, r.getKey().getNamespace());
        List<KeyValue> kvs = txn.range(ConfigKeys.draft(r.getKey(), r.getDraftId()), null, RangeOptions.LATEST).kvs();
        Draft d = kvs.isEmpty() ? null : ConfigJson.draft(kvs.get(0));
        if (d == null) {
            throw ServerError.CONFIG_DRAFT_NOT_FOUND.exception("draft " + r.getDraftId() + " of " + ConfigKeys.describe(r.getKey()));
        }
        ReviewDraftResponse.Builder resp = ReviewDraftResponse.newBuilder();
        if (r.getApprove()) {
            if (d.getAuthor().isEmpty()) {
                throw ServerError.CONFIG_REVIEW_REFUSED.exception("draft " + d.getId() + " was made with auth off, "
                        + "so nobody can tell its author from its reviewer: reject it and make it again");
            }
            if (d.getAuthor().equals(actor.user)) {
                throw ServerError.CONFIG_REVIEW_REFUSED.exception("a draft cannot be approved by its author ("
                        + d.getAuthor() + ")");
            }
            ConfigVersion meta = meta(txn, d.getKey());
            long current = meta == null ? 0 : meta.getVersion();
            if (current != d.getBaseVersion()) {
                throw ServerError.CONFIG_VERSION_CONFLICT.exception("the config changed since draft " + d.getId()
                        + " was made (at version " + d.getBaseVersion() + ", now " + current + "): reject it and make a new one");
            }
            if (!r.getWrite().getKey().equals(d.getKey()) || r.getWrite().getChange() != d.getChange()
                    || !r.getWrite().getMd5().equals(d.getMd5())) {
                throw ServerError.CONFIG_VERSION_CONFLICT.exception("the approval does not match draft " + d.getId() + "; review it again");
            }
            // what is published is the draft as stored; the proposer's write says only what it checked
            ConfigWrite w = r.getWrite().toBuilder().setContent(d.getContent()).setFormat(d.getFormat()).setMd5(d.getMd5())
                    .setSourceVersion(d.getSourceVersion()).setSecrets(d.getSecrets()).build();
            Actor author = new Actor(d.getAuthor(), d.getClientAddress(), actor.timeMs);
            author.reviewer = actor.user;
            author.draftId = d.getId();
            ConfigVersion written = write(txn, w.toBuilder().setExpectedVersion(d.getBaseVersion()).setComment(d.getComment()).build(), author);
            actor.audits = author.audits;
            resp.setConfig(written.toBuilder().clearContent());
        } else if (r.getWithdraw()) {
            if (!d.getAuthor().equals(actor.user)) {
                throw ServerError.PERMISSION_DENIED.exception();
            }
            audit(txn, actor, AuditRecord.newBuilder().setKey(d.getKey()).setAction("draft-withdraw").setOldVersion(d.getBaseVersion())
                    .setNewVersion(d.getBaseVersion()).setMd5(d.getMd5()).setComment(r.getComment()).setDraftId(d.getId()));
        } else {
            audit(txn, actor, AuditRecord.newBuilder().setKey(d.getKey()).setAction("draft-reject").setOldVersion(d.getBaseVersion())
                    .setNewVersion(d.getBaseVersion()).setMd5(d.getMd5()).setComment(r.getComment()).setDraftId(d.getId())
                    .setReviewer(actor.user));
        }
        txn.deleteRange(ConfigKeys.draft(r.getKey(), r.getDraftId()), null);
        return resp.setHeader(header(txn)).build();
    }

    /**
     * Stores data keys: a new one only where the namespace has none (the first of racing
     * proposers wins), a rewrapped one only over the one it was made from. No audit: a data key
     * changes no config, and its bytes say nothing without the master key.
     */
    private RotateSecretsResponse secretKeys(TxnWrite txn, SecretKeys keys) {
        int rewrapped = 0;
        for (DataKey k : keys.getKeysList()) {
            requireNamespace(txn, k.getNamespace());
            List<KeyValue> kvs = txn.range(ConfigKeys.secretKey(k.getNamespace()), null, RangeOptions.LATEST).kvs();
            ByteString current = kvs.isEmpty() ? null : kvs.get(0).getValue();
            boolean create = k.getExpected().isEmpty() && current == null;
            boolean rewrap = !k.getExpected().isEmpty() && k.getExpected().equals(current);
            if (create || rewrap) {
                txn.put(ConfigKeys.secretKey(k.getNamespace()), k.getWrapped(), 0);
                rewrapped += rewrap ? 1 : 0;
            }
        }
        return RotateSecretsResponse.newBuilder().setHeader(header(txn)).setRewrapped(rewrapped).build();
    }

    /** A write sealed with a data key is taken only while that key is still the namespace's. */
    private static void requireDataKey(TxnWrite txn, ConfigWrite w) {
        if (w.getSealedWith().isEmpty()) {
            return;
        }
        List<KeyValue> kvs = txn.range(ConfigKeys.secretKey(w.getKey().getNamespace()), null, RangeOptions.LATEST).kvs();
        if (kvs.isEmpty() || !kvs.get(0).getValue().equals(w.getSealedWith())) {
            throw ServerError.CONFIG_VERSION_CONFLICT.exception("the namespace's data key changed while the content was "
                    + "sealed; publish again");
        }
    }

    /** Whether changes to the namespace's configs are drafts a reviewer must approve. */
    private static boolean reviewRequired(TxnWrite txn, String namespace) {
        Namespace ns = namespace(txn, namespace);
        return ns != null && ns.getReviewRequired();
    }

    /** Refuses, in a namespace that requires review, a change that review does not cover. */
    private static void refuseUnreviewed(TxnWrite txn, String namespace, String what) {
        if (reviewRequired(txn, namespace)) {
            throw ServerError.CONFIG_REVIEW_REFUSED.exception("namespace " + namespace + " requires review, and " + what
                    + " are not reviewed: publish a draft instead");
        }
    }

    private static Namespace namespace(TxnWrite txn, String name) {
        List<KeyValue> kvs = txn.range(ConfigKeys.namespaceKey(name), null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : ConfigJson.decode(kvs.get(0).getValue(), Namespace.newBuilder());
    }

    private DeleteNamespaceResponse deleteNamespace(TxnWrite txn, String name, Actor actor) {
        if (name.equals(ConfigKeys.DEFAULT_NAMESPACE)) {
            throw ServerError.CONFIG_INVALID.exception("the default namespace cannot be deleted");
        }
        requireNamespace(txn, name);
        int configs = 0;
        for (KeyValue entry : range(txn, ConfigKeys.metaPrefix(name))) {
            ConfigVersion v = ConfigJson.version(entry);
            if (v != null && v.getChange() != Change.DELETED) {
                configs++;
            }
        }
        if (configs > 0) {
            throw ServerError.CONFIG_NAMESPACE_NOT_EMPTY.exception(name + " has " + configs + " configs");
        }
        for (ByteString prefix : List.of(ConfigKeys.contentPrefix(name), ConfigKeys.metaPrefix(name),
                ConfigKeys.historyPrefix(name), ConfigKeys.grayPrefix(name), ConfigKeys.draftPrefix(name))) {
            txn.deleteRange(prefix, ConfigKeys.end(prefix));
        }
        txn.deleteRange(ConfigKeys.namespaceKey(name), null);
        txn.deleteRange(ConfigKeys.secretKey(name), null);
        audit(txn, actor, AuditRecord.newBuilder().setKey(ConfigKey.newBuilder().setNamespace(name))
                .setAction("namespace-delete"));
        return DeleteNamespaceResponse.newBuilder().setHeader(header(txn)).build();
    }

    private SetSchemaResponse schema(TxnWrite txn, ConfigSchema s, Actor actor) {
        ConfigVersion meta = existing(txn, s.getKey());
        if (meta.getVersion() != s.getCheckedVersion()) {
            throw ServerError.CONFIG_VERSION_CONFLICT.exception("the config changed while its schema was checked; try again");
        }
        txn.put(ConfigKeys.meta(s.getKey()), ConfigJson.encode(meta.toBuilder().setJsonSchema(s.getJsonSchema())), 0);
        audit(txn, actor, AuditRecord.newBuilder().setKey(s.getKey()).setAction("schema")
                .setOldVersion(meta.getVersion()).setNewVersion(meta.getVersion())
                .setMd5(ConfigJson.md5OrEmpty(s.getJsonSchema())));
        return SetSchemaResponse.newBuilder().setHeader(header(txn)).build();
    }

    private GrayResponse startGray(TxnWrite txn, GrayRelease g, Actor actor) {
        ConfigVersion meta = existing(txn, g.getKey());
        GrayRelease stored = g.toBuilder().setBaseVersion(meta.getVersion()).setAuthor(actor.user)
                .setTimeMs(actor.timeMs).clearRevision().build();
        txn.put(ConfigKeys.gray(g.getKey()), ConfigJson.encode(stored), 0);
        audit(txn, actor, AuditRecord.newBuilder().setKey(g.getKey()).setAction("gray-start")
                .setOldVersion(meta.getVersion()).setNewVersion(meta.getVersion()).setMd5(g.getMd5()).setComment(g.getComment()));
        return GrayResponse.newBuilder().setHeader(header(txn)).setGray(stored.toBuilder().setRevision(txn.revision())).build();
    }

    private AbortGrayResponse abortGray(TxnWrite txn, ConfigKey key, String comment, Actor actor) {
        requireNamespace(txn, key.getNamespace());
        GrayRelease gray = gray(txn, key);
        if (gray == null) {
            throw ServerError.CONFIG_NO_GRAY.exception(ConfigKeys.describe(key));
        }
        txn.deleteRange(ConfigKeys.gray(key), null);
        audit(txn, actor, AuditRecord.newBuilder().setKey(key).setAction("gray-abort")
                .setOldVersion(gray.getBaseVersion()).setNewVersion(gray.getBaseVersion()).setMd5(gray.getMd5()).setComment(comment));
        return AbortGrayResponse.newBuilder().setHeader(header(txn)).build();
    }

    private ImportResponse importAll(TxnWrite txn, ConfigImport im, Actor actor) {
        requireNamespace(txn, im.getNamespace());
        List<ConfigWrite> todo = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        int skipped = 0;
        int updated = 0;
        for (ConfigWrite w : im.getWritesList()) {
            ConfigVersion meta = meta(txn, w.getKey());
            if (meta != null && meta.getChange() != Change.DELETED) {
                existing.add(w.getKey().getGroup() + "/" + w.getKey().getDataId());
                if (im.getPolicy() == ImportPolicy.SKIP_EXISTING) {
                    skipped++;
                    continue;
                }
                updated++;
            }
            todo.add(w);
        }
        if (im.getPolicy() == ImportPolicy.ABORT_ON_CONFLICT && !existing.isEmpty()) {
            throw ServerError.CONFIG_VERSION_CONFLICT.exception(existing.size() + " configs exist already, "
                    + String.join(", ", existing.subList(0, Math.min(3, existing.size()))) + (existing.size() > 3 ? ", ..." : ""));
        }
        for (ConfigWrite w : todo) {
            write(txn, w, actor);
        }
        return ImportResponse.newBuilder().setHeader(header(txn)).setCreated(todo.size() - updated)
                .setUpdated(updated).setSkipped(skipped).build();
    }

    private void requireNamespace(TxnWrite txn, String name) {
        if (!name.equals(ConfigKeys.DEFAULT_NAMESPACE)
                && txn.range(ConfigKeys.namespaceKey(name), null, RangeOptions.LATEST).kvs().isEmpty()) {
            throw ServerError.CONFIG_NAMESPACE_NOT_FOUND.exception(name);
        }
    }

    private ConfigVersion existing(TxnWrite txn, ConfigKey key) {
        requireNamespace(txn, key.getNamespace());
        ConfigVersion meta = meta(txn, key);
        if (meta == null || meta.getChange() == Change.DELETED) {
            throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(key));
        }
        return meta;
    }

    private static ConfigVersion meta(TxnWrite txn, ConfigKey key) {
        List<KeyValue> kvs = txn.range(ConfigKeys.meta(key), null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : ConfigJson.version(kvs.get(0));
    }

    private static GrayRelease gray(TxnWrite txn, ConfigKey key) {
        List<KeyValue> kvs = txn.range(ConfigKeys.gray(key), null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : ConfigJson.gray(kvs.get(0));
    }

    private static List<KeyValue> range(TxnWrite txn, ByteString prefix) {
        return txn.range(prefix, ConfigKeys.end(prefix), RangeOptions.LATEST).kvs();
    }

    private static void audit(TxnWrite txn, Actor actor, AuditRecord.Builder record) {
        AuditRecord r = record.setUser(actor.user).setClientAddress(actor.address).setTimeMs(actor.timeMs).build();
        long revision = txn.revision() + (txn.changes().isEmpty() ? 1 : 0);
        txn.put(ConfigKeys.audit(r.getKey().getNamespace(), revision, actor.audits++), ConfigJson.encode(r), 0);
    }

    private static String action(Change change) {
        return switch (change) {
            case DELETED -> "delete";
            case ROLLED_BACK -> "rollback";
            case IMPORTED -> "import";
            case GRAY_PROMOTED -> "gray-promote";
            default -> "publish";
        };
    }

    private static ResponseHeader header(TxnWrite txn) {
        return ResponseHeader.newBuilder().setRevision(txn.revision()).build();
    }
}
