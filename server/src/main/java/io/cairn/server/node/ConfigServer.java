package io.cairn.server.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.config.AbortGrayRequest;
import io.cairn.api.config.AbortGrayResponse;
import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceRequest;
import io.cairn.api.config.DeleteNamespaceResponse;
import io.cairn.api.config.DeleteRequest;
import io.cairn.api.config.Draft;
import io.cairn.api.config.Format;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.GrayResponse;
import io.cairn.api.config.ImportResponse;
import io.cairn.api.config.NamespaceResponse;
import io.cairn.api.config.PromoteGrayRequest;
import io.cairn.api.config.PublishRequest;
import io.cairn.api.config.PublishResponse;
import io.cairn.api.config.ReportRequest;
import io.cairn.api.config.ReportResponse;
import io.cairn.api.config.ReviewDraftRequest;
import io.cairn.api.config.ReviewDraftResponse;
import io.cairn.api.config.RotateSecretsResponse;
import io.cairn.api.config.Secrets;
import io.cairn.api.config.RollbackRequest;
import io.cairn.api.config.SetSchemaRequest;
import io.cairn.api.config.SetSchemaResponse;
import io.cairn.api.config.StartGrayRequest;
import io.cairn.api.etcd.KeyValue;
import io.cairn.server.command.Command;
import io.cairn.server.command.ConfigChange;
import io.cairn.server.command.ConfigImport;
import io.cairn.server.command.ConfigReview;
import io.cairn.server.command.ConfigSchema;
import io.cairn.server.command.ConfigWrite;
import io.cairn.server.command.DataKey;
import io.cairn.server.command.SecretKeys;
import io.cairn.server.config.ConfigContent;
import io.cairn.server.config.ConfigJson;
import io.cairn.server.config.ConfigKeys;
import io.cairn.server.config.ConfigSchemas;
import io.cairn.server.config.ConfigTransfer;
import io.cairn.server.config.GrayMatcher;
import io.cairn.server.config.SecretText;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.TxnRead;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The config center's changes, transport-free: each request is checked here (names, content,
 * schema) and becomes one raft command that apply checks against the state of its time (see
 * {@link io.cairn.server.config.ConfigApplier}). Reads are in {@link ConfigReads}.
 */
public final class ConfigServer {
    private static final int MAX_RECEIPT_BYTES = 8192;
    private final KvServer kv;
    private final Headers headers;
    private final AccessGate access;
    private final ConfigLimits limits;
    private final int maxRequestBytes;
    private final ConfigSecrets secrets;

    ConfigServer(KvServer kv, Headers headers, AccessGate access, ConfigLimits limits, int maxRequestBytes,
                 ConfigSecrets secrets) {
        this.kv = kv;
        this.secrets = secrets;
        this.headers = headers;
        this.access = access;
        this.limits = new ConfigLimits(limits.historyVersions(), Math.min(limits.maxContentBytes(), maxRequestBytes));
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Records what a client applied of a config, on the client's lease: anyone who may read the
     * namespace may (the policy checks it as the command is proposed, and again at apply).
     */
    public CompletableFuture<ReportResponse> report(String user, String address, ReportRequest r) {
        ConfigReceipt in = r.getReceipt();
        ConfigKey key = ConfigKeys.check(in.getKey());
        ConfigKeys.checkName("client id", in.getClient().getClientId());
        if (r.getLease() <= 0) {
            throw ServerError.CONFIG_INVALID.exception("a receipt hangs on the client's lease: give its id");
        }
        if (r.getWithdraw()) {
            ConfigReceipt gone = ConfigReceipt.newBuilder().setKey(key).setClient(in.getClient()).setLease(r.getLease()).build();
            return propose(user, address, ConfigChange.newBuilder().setWithdrawReceipt(gone), ReportResponse.class);
        }
        if (in.getVersion() < 1) {
            throw ServerError.CONFIG_INVALID.exception("a receipt names a version of at least 1, not " + in.getVersion());
        }
        if (in.getSerializedSize() > MAX_RECEIPT_BYTES) {
            throw ServerError.CONFIG_INVALID.exception("a receipt takes at most " + MAX_RECEIPT_BYTES
                    + " bytes (its error and labels included), not " + in.getSerializedSize());
        }
        ConfigReceipt stored = in.toBuilder().setKey(key).setLease(r.getLease()).setSeenAddress(address).clearTimeMs().build();
        ByteString readable = ConfigKeys.contentPrefix(key.getNamespace());
        // a reader of the namespace learns whether it exists; then meta() says so if it does not
        return access.confirm(() -> access.policy().checkRead(user, readable, ConfigKeys.end(readable)))
                .thenCompose(ok -> meta(key)).thenCompose(ignored ->
                propose(user, address, ConfigChange.newBuilder().setReceipt(stored), ReportResponse.class));
    }

    /** Each call names the user it acts for and the address the call came from. */
    public CompletableFuture<PublishResponse> publish(String user, String address, PublishRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return mayWrite(user, key.getNamespace()).thenCompose(ok -> meta(key)).thenCompose(meta -> {
            Format format = ConfigContent.format(r.getFormat(), meta);
            Secrets marks = r.hasSecrets() ? r.getSecrets() : ConfigSecrets.of(meta);
            return written(user, address, key, format, r.getContent(), meta, marks).thenCompose(w -> {
                w.setChange(Change.PUBLISHED).setComment(r.getComment());
                switch (r.getExpectCase()) {
                    case EXPECTED_VERSION -> w.setExpectedVersion(r.getExpectedVersion());
                    case MUST_NOT_EXIST -> w.setMustNotExist(r.getMustNotExist());
                    case EXPECT_NOT_SET -> { }
                }
                return write(user, address, w);
            });
        });
    }

    public CompletableFuture<PublishResponse> delete(String user, String address, DeleteRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        ConfigWrite.Builder w = ConfigWrite.newBuilder().setKey(key).setChange(Change.DELETED)
                .setComment(r.getComment()).setHistoryLimit(limits.historyVersions());
        if (r.hasExpectedVersion()) {
            w.setExpectedVersion(r.getExpectedVersion());
        }
        return write(user, address, w);
    }

    /** Publishes a past version's content and format again, checked against the schema of now. */
    public CompletableFuture<PublishResponse> rollback(String user, String address, RollbackRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return mayWrite(user, key.getNamespace()).thenCompose(ok -> kv.read(false, view -> {
            access.policy().checkRead(user, ConfigKeys.historyPrefix(key), ConfigKeys.end(ConfigKeys.historyPrefix(key)));
            return new ConfigVersion[] {version(view, ConfigKeys.history(key, r.getToVersion())), version(view, ConfigKeys.meta(key))};
        })).thenCompose(found -> {
            ConfigVersion old = found[0];
            if (old == null || old.getChange() == Change.DELETED) {
                throw ServerError.CONFIG_NOT_FOUND.exception("version " + r.getToVersion() + " of "
                        + ConfigKeys.describe(key) + (old == null ? " is not in its history" : " is a delete"));
            }
            // what was secret in either stays so: a rollback keeps secret what is secret now
            Secrets marks = SecretText.both(old.getSecrets(), ConfigSecrets.of(found[1]));
            return content(user, address, key, old.getFormat(), old.getContent(), found[1], marks).thenCompose(w -> {
                w.setChange(Change.ROLLED_BACK).setSourceVersion(old.getVersion()).setComment(r.getComment());
                if (r.hasExpectedVersion()) {
                    w.setExpectedVersion(r.getExpectedVersion());
                }
                return write(user, address, w);
            });
        });
    }

    public CompletableFuture<SetSchemaResponse> setSchema(String user, String address, SetSchemaRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        if (!r.getJsonSchema().isEmpty()) {
            ConfigSchemas.checkSchema(r.getJsonSchema());
        }
        // the content is read and checked against the caller's schema: only for one who may read and write it
        return mayWrite(user, key.getNamespace()).thenCompose(ok -> kv.read(false, view -> {
            access.policy().checkRead(user, ConfigKeys.content(key), ByteString.EMPTY);
            return new Object[] {version(view, ConfigKeys.meta(key)), text(view, ConfigKeys.content(key))};
        })).thenCompose(found -> {
            ConfigVersion meta = (ConfigVersion) found[0];
            if (meta == null || meta.getChange() == Change.DELETED) {
                throw ServerError.CONFIG_NOT_FOUND.exception(ConfigKeys.describe(key) + ": publish it before giving it a schema");
            }
            String text = (String) found[1];
            if (SecretText.isSealed(text)) {
                // a schema checked against secret values answers questions about them
                access.policy().checkReveal(user, key.getNamespace());
            }
            String clear = SecretText.isSealed(text)
                    ? SecretText.open(meta.getFormat(), text, secrets.cipher(key, dataKey(key.getNamespace())))
                    : text;
            ConfigContent.check(key, meta.getFormat(), clear, r.getJsonSchema(), Integer.MAX_VALUE);
            return propose(user, address, ConfigChange.newBuilder().setSchema(ConfigSchema.newBuilder()
                    .setKey(key).setJsonSchema(r.getJsonSchema()).setCheckedVersion(meta.getVersion())), SetSchemaResponse.class);
        });
    }

    public CompletableFuture<GrayResponse> startGray(String user, String address, StartGrayRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        GrayMatcher.check(r.getRules());
        return mayWrite(user, key.getNamespace()).thenCompose(ok -> meta(key)).thenCompose(meta ->
                written(user, address, key, ConfigContent.format(r.getFormat(), meta), r.getContent(), meta,
                        ConfigSecrets.of(meta))).thenCompose(checked -> {
            GrayRelease g = GrayRelease.newBuilder().setKey(key).setContent(checked.getContent())
                    .setFormat(checked.getFormat()).setMd5(checked.getMd5()).setSecrets(checked.getSecrets()).setRules(r.getRules())
                    .setComment(r.getComment()).build();
            return propose(user, address, ConfigChange.newBuilder().setStartGray(g), GrayResponse.class);
        });
    }

    /** Publishes the candidate as a new version; apply checks it is still the release this read. */
    public CompletableFuture<PublishResponse> promoteGray(String user, String address, PromoteGrayRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        return mayWrite(user, key.getNamespace()).thenCompose(ok -> kv.read(false, view -> {
            List<KeyValue> kvs = view.range(ConfigKeys.gray(key), null, RangeOptions.LATEST).kvs();
            return new Object[] {kvs.isEmpty() ? null : ConfigJson.gray(kvs.get(0)), version(view, ConfigKeys.meta(key))};
        })).thenCompose(found -> {
            GrayRelease g = (GrayRelease) found[0];
            if (g == null) {
                throw ServerError.CONFIG_NO_GRAY.exception(ConfigKeys.describe(key));
            }
            ConfigVersion meta = (ConfigVersion) found[1];
            return content(user, address, key, g.getFormat(), g.getContent(), meta, ConfigSecrets.of(meta)).thenCompose(w -> {
                w.setChange(Change.GRAY_PROMOTED).setGrayRevision(g.getRevision())
                        .setComment(r.getComment().isEmpty() ? g.getComment() : r.getComment());
                return write(user, address, w);
            });
        });
    }

    public CompletableFuture<AbortGrayResponse> abortGray(String user, String address, AbortGrayRequest r) {
        AbortGrayRequest checked = r.toBuilder().setKey(ConfigKeys.check(r.getKey())).build();
        return propose(user, address, ConfigChange.newBuilder().setAbortGray(checked), AbortGrayResponse.class);
    }

    public CompletableFuture<NamespaceResponse> createNamespace(String user, String address, CreateNamespaceRequest r) {
        ConfigKeys.checkName("namespace", r.getName());
        if (r.getDescription().length() > 1024) {
            throw ServerError.CONFIG_INVALID.exception("a description is at most 1024 characters");
        }
        return propose(user, address, ConfigChange.newBuilder().setCreateNamespace(r), NamespaceResponse.class);
    }

    public CompletableFuture<NamespaceResponse> updateNamespace(String user, String address, io.cairn.api.config.UpdateNamespaceRequest r) {
        ConfigKeys.checkName("namespace", r.getName());
        if (r.getDescription().length() > 1024) {
            throw ServerError.CONFIG_INVALID.exception("a description is at most 1024 characters");
        }
        return propose(user, address, ConfigChange.newBuilder().setUpdateNamespace(r), NamespaceResponse.class);
    }

    /**
     * Approves or rejects a draft. An approval carries the draft's write, its content checked
     * against the schema of now; apply checks the draft is unchanged and the reviewer is not its author.
     */
    public CompletableFuture<ReviewDraftResponse> review(String user, String address, ReviewDraftRequest r) {
        ConfigKey key = ConfigKeys.check(r.getKey());
        if (r.getId() <= 0) {
            throw ServerError.CONFIG_INVALID.exception("name the draft by its id, not " + r.getId());
        }
        ConfigReview.Builder review = ConfigReview.newBuilder().setKey(key).setDraftId(r.getId())
                .setApprove(r.getApprove()).setComment(r.getComment())
                // a writer who reviews nothing can only take back a draft of their own
                .setWithdraw(!r.getApprove() && !access.policy().isReviewer(user, key.getNamespace()));
        if (!r.getApprove()) {
            return propose(user, address, ConfigChange.newBuilder().setReview(review), ReviewDraftResponse.class);
        }
        return kv.read(false, view -> {
            access.policy().checkRead(user, ConfigKeys.draftPrefix(key), ConfigKeys.end(ConfigKeys.draftPrefix(key)));
            List<KeyValue> kvs = view.range(ConfigKeys.draft(key, r.getId()), null, RangeOptions.LATEST).kvs();
            return new Object[] {kvs.isEmpty() ? null : ConfigJson.draft(kvs.get(0)),
                    version(view, ConfigKeys.meta(key))};
        }).thenCompose(found -> {
            Draft d = (Draft) found[0];
            if (d == null) {
                throw ServerError.CONFIG_DRAFT_NOT_FOUND.exception("draft " + r.getId() + " of " + ConfigKeys.describe(key));
            }
            CompletableFuture<ConfigWrite.Builder> write = d.getChange() == Change.DELETED
                    ? CompletableFuture.completedFuture(ConfigWrite.newBuilder().setKey(key)
                            .setHistoryLimit(limits.historyVersions()).setMd5(d.getMd5()))
                    : content(user, address, key, d.getFormat(), d.getContent(), (ConfigVersion) found[1], d.getSecrets());
            return write.thenCompose(w -> {
                w.setChange(d.getChange()).setSourceVersion(d.getSourceVersion()).setComment(d.getComment());
                return propose(user, address, ConfigChange.newBuilder().setReview(review.setWrite(w)), ReviewDraftResponse.class);
            });
        });
    }

    public CompletableFuture<DeleteNamespaceResponse> deleteNamespace(String user, String address, DeleteNamespaceRequest r) {
        ConfigKeys.checkName("namespace", r.getName());
        return propose(user, address, ConfigChange.newBuilder().setDeleteNamespace(r), DeleteNamespaceResponse.class);
    }

    /** Every config of the document is checked here, then all are written by one command. */
    public CompletableFuture<ImportResponse> importDocument(String user, String address, io.cairn.api.config.ImportRequest r) {
        String ns = ConfigKeys.namespace(r.getNamespace());
        if (r.getPolicy() == io.cairn.api.config.ImportPolicy.UNRECOGNIZED) {
            throw ServerError.UNKNOWN_ENUM.exception();
        }
        return mayWrite(user, ns).thenCompose(ok -> {
            List<ConfigWrite> writes = ConfigTransfer.writes(ns, r.getDocument(), r.getComment());
            CompletableFuture<ConfigImport.Builder> all = CompletableFuture.completedFuture(
                    ConfigImport.newBuilder().setNamespace(ns).setPolicy(r.getPolicy()));
            for (ConfigWrite w : writes) {
                // checked against the schema it brings; what it marks secret is sealed (a masked
                // value keeps the one the config has)
                ConfigVersion schema = ConfigVersion.newBuilder().setJsonSchema(w.getJsonSchema()).build();
                all = all.thenCompose(im -> meta(w.getKey()).thenCompose(meta -> content(user, address, w.getKey(),
                        w.getFormat(), w.getContent(), schema, w.hasSecrets() ? w.getSecrets() : ConfigSecrets.of(meta), meta, true))
                        .thenApply(checked ->
                        im.addWrites(w.toBuilder().setContent(checked.getContent()).setMd5(checked.getMd5())
                                .setSecrets(checked.getSecrets()).setHistoryLimit(limits.historyVersions()))));
            }
            return all.thenCompose(im -> propose(user, address, ConfigChange.newBuilder().setImport(im), ImportResponse.class));
        });
    }

    /**
     * Completes when {@code user} may change the namespace's configs (after catching up, if this
     * member's auth state says no): checked before anything is read or parsed for the caller.
     */
    private CompletableFuture<Void> mayWrite(String user, String namespace) {
        return access.confirm(() -> access.policy().checkConfigWrite(user, namespace));
    }

    /** A write of what the caller sent: checked, its secrets sealed. */
    private CompletableFuture<ConfigWrite.Builder> written(String user, String address, ConfigKey key, Format format,
                                                           String text, ConfigVersion meta, Secrets marks) {
        return content(user, address, key, format, text, meta, marks, meta, true);
    }

    /** A write of text the config center stored (a past version, a candidate, a draft): checked, its secrets sealed. */
    private CompletableFuture<ConfigWrite.Builder> content(String user, String address, ConfigKey key, Format format,
                                                           String text, ConfigVersion meta, Secrets marks) {
        return content(user, address, key, format, text, meta, marks, meta, false);
    }

    /**
     * A write of checked content, with the schema ({@code schemaOf}'s) it satisfied. Where the
     * config had or is to have secrets, or the text holds sealed values, the checks run on the
     * clear text and the write carries it sealed: a value left masked keeps the one
     * {@code current} (the config's version now) has; one already sealed stays as it is. A
     * caller may not send sealed values ({@code fromCaller}): copied from elsewhere, they would
     * make the checks' errors tell what they hide.
     */
    private CompletableFuture<ConfigWrite.Builder> content(String user, String address, ConfigKey key, Format format,
                                                           String text, ConfigVersion schemaOf, Secrets marks,
                                                           ConfigVersion current, boolean fromCaller) {
        Secrets checked = SecretText.check(format, marks);
        String schema = schemaOf == null || schemaOf.getChange() == Change.DELETED ? "" : schemaOf.getJsonSchema();
        if (fromCaller && SecretText.isSealed(text)) {
            throw ServerError.CONFIG_INVALID.exception("content may not hold sealed values (ENC(cairn:...)): write the value "
                    + "itself, or " + SecretText.MASK + " where a secret value is to stay as it is");
        }
        Secrets before = ConfigSecrets.of(current);
        if (!SecretText.hasSecrets(checked) && !SecretText.hasSecrets(before) && !SecretText.isSealed(text)) {
            return CompletableFuture.completedFuture(checked(key, format, text, text, schema, checked));
        }
        String ns = key.getNamespace();
        return dataKey(user, address, ns).thenCompose(wrapped -> kv.read(true, view -> text(view, ConfigKeys.content(key)))
                .thenApply(now -> {
                    SecretText.Cipher cipher = secrets.cipher(key, wrapped);
                    Format nowFormat = current == null ? format : current.getFormat();
                    Secrets either = SecretText.both(before, checked);
                    String kept = SecretText.keepMasked(format, text, either, nowFormat, now);
                    SecretText.requireNoBareMask(format, kept, either);
                    SecretText.requireSealedWhereSecret(format, kept, checked);
                    String sealed = SecretText.seal(format, kept, checked, cipher);
                    ConfigWrite.Builder w;
                    try {
                        w = checked(key, format, SecretText.open(format, kept, cipher), sealed, schema, checked);
                    } catch (io.cairn.server.errors.ServerException e) {
                        if (!SecretText.isSealed(kept) || secrets.mayReveal(user, ns)) {
                            throw e;
                        }
                        // the checks' words may quote a value this caller may not see
                        throw e.error().exception("it holds secret values this user may not reveal, so no more is said");
                    }
                    return w.setSealedWith(wrapped);
                }));
    }

    private ConfigWrite.Builder checked(ConfigKey key, Format format, String clear, String stored, String schema,
                                        Secrets marks) {
        String schemaMd5 = ConfigContent.check(key, format, clear, schema, limits.maxContentBytes());
        return ConfigWrite.newBuilder().setKey(key).setFormat(format).setContent(stored).setSecrets(marks)
                .setMd5(ConfigJson.md5(stored)).setSchemaMd5(schemaMd5).setHistoryLimit(limits.historyVersions());
    }

    /**
     * The namespace's data key, made now if it has none: by a command, so that every member
     * stores the same one (of two members making one at once, the first applied wins).
     */
    private CompletableFuture<ByteString> dataKey(String user, String address, String namespace) {
        ByteString local = dataKey(namespace);
        if (local != null) {
            return CompletableFuture.completedFuture(local);
        }
        SecretKeys make = SecretKeys.newBuilder().addKeys(DataKey.newBuilder().setNamespace(namespace)
                .setWrapped(secrets.keys().create(namespace))).build();
        return propose(user, address, ConfigChange.newBuilder().setSecretKeys(make), RotateSecretsResponse.class)
                .thenCompose(made -> kv.read(false, view -> ConfigSecrets.stored(view, namespace)));
    }

    /** The namespace's data key as this member has it, or null. */
    private ByteString dataKey(String namespace) {
        return kv.read(true, view -> ConfigSecrets.stored(view, namespace)).join();
    }

    /**
     * Wraps every namespace's data key again with the master key's primary, after reading the
     * master key file again: root's. A key another member replaced meanwhile is left as it is.
     */
    public CompletableFuture<RotateSecretsResponse> rotateSecrets(String user, String address) {
        return access.confirm(() -> access.policy().require(io.cairn.server.auth.AccessPolicy.Level.ADMIN, user)).thenCompose(ok -> {
            secrets.keys().reloadMaster();
            return kv.read(false, view -> view.range(ConfigKeys.secretKeysPrefix(),
                    ConfigKeys.end(ConfigKeys.secretKeysPrefix()), RangeOptions.LATEST).kvs());
        }).thenCompose(stored -> {
            SecretKeys.Builder rewrap = SecretKeys.newBuilder();
            for (KeyValue k : stored) {
                String ns = ConfigKeys.secretKeyNamespace(k.getKey());
                rewrap.addKeys(DataKey.newBuilder().setNamespace(ns).setExpected(k.getValue())
                        .setWrapped(secrets.keys().rewrap(ns, k.getValue())));
            }
            return propose(user, address, ConfigChange.newBuilder().setSecretKeys(rewrap), RotateSecretsResponse.class)
                    .thenApply(r -> r.toBuilder().setMasterKeyId(secrets.keys().master().primaryId()).build());
        });
    }

    private CompletableFuture<PublishResponse> write(String user, String address, ConfigWrite.Builder w) {
        return propose(user, address, ConfigChange.newBuilder().setWrite(w), PublishResponse.class);
    }

    private <T extends Message> CompletableFuture<T> propose(String user, String address, ConfigChange.Builder change,
                                                             Class<T> type) {
        Command command = AccessGate.stamp(user, Command.newBuilder().setConfigChange(change.setClientAddress(address)));
        if (command.getSerializedSize() > maxRequestBytes) {
            throw ServerError.REQUEST_TOO_LARGE.exception();
        }
        return access.propose(user, command).thenApply(m -> headers.complete(type.cast(m)));
    }

    /**
     * The config's metadata as this member has it, for the content's checks: not linearizable,
     * but apply refuses a write whose schema check went stale. A namespace this member does not
     * know is refused here, before the content's checks, so it is the error a caller sees.
     */
    private CompletableFuture<ConfigVersion> meta(ConfigKey key) {
        return kv.read(true, view -> known(view, key)).thenCompose(local -> local != null
                ? CompletableFuture.completedFuture(local.orElse(null))
                // a namespace just made elsewhere may not have reached this member yet
                : kv.read(false, view -> {
                    java.util.Optional<ConfigVersion> known = known(view, key);
                    if (known == null) {
                        throw ServerError.CONFIG_NAMESPACE_NOT_FOUND.exception(key.getNamespace());
                    }
                    return known.orElse(null);
                }));
    }

    /** The config's metadata, if any; null if its namespace does not exist. */
    private static java.util.Optional<ConfigVersion> known(TxnRead view, ConfigKey key) {
        ConfigVersion meta = version(view, ConfigKeys.meta(key));
        if (meta == null && !key.getNamespace().equals(ConfigKeys.DEFAULT_NAMESPACE)
                && view.range(ConfigKeys.namespaceKey(key.getNamespace()), null, RangeOptions.LATEST).kvs().isEmpty()) {
            return null;
        }
        return java.util.Optional.ofNullable(meta);
    }

    static ConfigVersion version(TxnRead view, ByteString key) {
        List<KeyValue> kvs = view.range(key, null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : ConfigJson.version(kvs.get(0));
    }

    static String text(TxnRead view, ByteString key) {
        List<KeyValue> kvs = view.range(key, null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? "" : kvs.get(0).getValue().toStringUtf8();
    }
}
