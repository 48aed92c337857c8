package io.cairn.client;

import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.PublishRequest;
import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.Change;
import io.cairn.client.config.Config;
import io.cairn.client.config.Secrets;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.ImportPolicy;
import io.cairn.client.config.ListeningClient;
import io.cairn.client.config.Namespace;
import io.cairn.client.config.Publish;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The config center's wire types, read into the SDK's config types and written from them. */
final class ConfigWire {
    private ConfigWire() {
    }

    static io.cairn.api.config.ConfigKey key(ConfigKey key) {
        return io.cairn.api.config.ConfigKey.newBuilder()
                .setNamespace(key.namespace()).setGroup(key.group()).setDataId(key.dataId()).build();
    }

    static ConfigKey key(io.cairn.api.config.ConfigKey key) {
        return new ConfigKey(key.getNamespace(), key.getGroup(), key.getDataId());
    }

    static ClientInfo client(String clientId, Map<String, String> labels) {
        return ClientInfo.newBuilder().setClientId(clientId).putAllLabels(labels).build();
    }

    static PublishRequest publish(Publish p) {
        PublishRequest.Builder r = PublishRequest.newBuilder().setKey(key(p.key())).setContent(p.content())
                .setComment(p.comment());
        p.format().ifPresent(f -> r.setFormat(format(f)));
        p.secrets().ifPresent(s -> r.setSecrets(secrets(s)));
        switch (p.expect().kind()) {
            case VERSION -> r.setExpectedVersion(p.expect().version());
            case ABSENT -> r.setMustNotExist(true);
            case ANY -> {
            }
        }
        return r.build();
    }

    static ListenRequest listen(ConfigSelection selection, long revision, ClientInfo client) {
        ListenRequest.Builder r = ListenRequest.newBuilder().setNamespace(selection.namespace()).setGroup(selection.group())
                .setRevision(revision).setClient(client).setReveal(true);
        selection.configs().forEach(k -> r.addConfigs(key(k)));
        return r.build();
    }

    /** A version as the server sent it; {@code gray} says whether it is a candidate for this client. */
    static Config config(ConfigVersion v, boolean gray) {
        return new Config(key(v.getKey()), v.getVersion(), format(v.getFormat()), v.getContent(), v.getMd5(),
                change(v.getChange()), v.getAuthor(), v.getClientAddress(), v.getComment(), Instant.ofEpochMilli(v.getTimeMs()),
                v.getRevision(), v.getSourceVersion(), v.getSize(), gray, false, secrets(v.getSecrets()),
                v.getMasked());
    }

    static Secrets secrets(io.cairn.api.config.Secrets s) {
        return new Secrets(s.getWhole(), s.getKeysList());
    }

    static io.cairn.api.config.Secrets secrets(Secrets s) {
        return io.cairn.api.config.Secrets.newBuilder().setWhole(s.whole()).addAllKeys(s.keys()).build();
    }

    static io.cairn.api.config.Format format(Format f) {
        return switch (f) {
            case TEXT -> io.cairn.api.config.Format.TEXT;
            case PROPERTIES -> io.cairn.api.config.Format.PROPERTIES;
            case YAML -> io.cairn.api.config.Format.YAML;
            case JSON -> io.cairn.api.config.Format.JSON;
            case XML -> io.cairn.api.config.Format.XML;
        };
    }

    /** The server always names a format; one this SDK does not know is read as text. */
    static Format format(io.cairn.api.config.Format f) {
        return switch (f) {
            case PROPERTIES -> Format.PROPERTIES;
            case YAML -> Format.YAML;
            case JSON -> Format.JSON;
            case XML -> Format.XML;
            case TEXT, FORMAT_UNSPECIFIED, UNRECOGNIZED -> Format.TEXT;
        };
    }

    /** A change this SDK does not know is read as a publish: the version is still one to use. */
    static Change change(io.cairn.api.config.Change c) {
        return switch (c) {
            case DELETED -> Change.DELETED;
            case ROLLED_BACK -> Change.ROLLED_BACK;
            case IMPORTED -> Change.IMPORTED;
            case GRAY_PROMOTED -> Change.GRAY_PROMOTED;
            case PUBLISHED, CHANGE_UNSPECIFIED, UNRECOGNIZED -> Change.PUBLISHED;
        };
    }

    static Namespace namespace(io.cairn.api.config.Namespace n) {
        return new Namespace(n.getName(), n.getDescription(), Instant.ofEpochMilli(n.getCreatedMs()), n.getConfigs(), n.getBuiltin(),
                n.getReviewRequired());
    }

    static io.cairn.client.config.Draft draft(io.cairn.api.config.Draft d) {
        return new io.cairn.client.config.Draft(key(d.getKey()), d.getId(), change(d.getChange()), format(d.getFormat()),
                d.getContent(), d.getMd5(), d.getBaseVersion(), d.getSourceVersion(), d.getAuthor(), d.getClientAddress(),
                d.getComment(), Instant.ofEpochMilli(d.getTimeMs()));
    }

    /** What a publish, delete or rollback wrote; in a namespace that requires review, the draft it stored instead. */
    static Config published(io.cairn.api.config.PublishResponse p) {
        if (p.hasDraft()) {
            throw new ReviewRequiredException(draft(p.getDraft()));
        }
        return config(p.getConfig(), false);
    }

    static io.cairn.api.config.GrayRules rules(GrayRules r) {
        return io.cairn.api.config.GrayRules.newBuilder().putAllLabels(r.labels()).addAllAddresses(r.addresses())
                .setPercent(r.percent()).build();
    }

    static GrayRules rules(io.cairn.api.config.GrayRules r) {
        return new GrayRules(r.getLabelsMap(), r.getAddressesList(), Math.max(0, Math.min(100, r.getPercent())));
    }

    static GrayRelease gray(io.cairn.api.config.GrayRelease g) {
        return new GrayRelease(key(g.getKey()), g.getContent(), format(g.getFormat()), g.getMd5(), rules(g.getRules()),
                g.getBaseVersion(), g.getAuthor(), Instant.ofEpochMilli(g.getTimeMs()), g.getComment(), g.getRevision());
    }

    static ListeningClient listener(io.cairn.api.config.Listener l) {
        ClientInfo c = l.getClient();
        return new ListeningClient(c.getClientId(), c.getLabelsMap(), c.getAddress(), l.getSeenAddress(), l.getVersion(),
                l.getMd5(), l.getGray(), l.getSentMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(l.getSentMs())),
                Instant.ofEpochMilli(l.getSinceMs()));
    }

    static Receipt receipt(io.cairn.api.config.ConfigReceipt r) {
        ClientInfo c = r.getClient();
        return new Receipt(c.getClientId(), c.getLabelsMap(), c.getAddress(), r.getSeenAddress(), r.getVersion(), r.getMd5(),
                r.getGray(), r.getApplied(), r.getError(), Instant.ofEpochMilli(r.getTimeMs()));
    }

    static Rollout rollout(ConfigKey key, io.cairn.api.config.StatusResponse s) {
        return new Rollout(key, s.hasCurrent() ? s.getCurrent().getVersion() : 0,
                s.hasGray() ? Optional.of(gray(s.getGray())) : Optional.empty(),
                s.getReceiptsList().stream().map(ConfigWire::receipt).toList(),
                s.getVersionsList().stream().map(v -> new Rollout.Count(v.getVersion(), v.getGray(), v.getInstances(), v.getFailed())).toList());
    }

    /** What this client applied of {@code config}: every listener took it, or the first failure. */
    static io.cairn.api.config.ReportRequest report(ClientInfo client, ConfigKey key, long version, String md5, boolean gray,
                                                    String error, long lease) {
        return io.cairn.api.config.ReportRequest.newBuilder().setLease(lease).setReceipt(io.cairn.api.config.ConfigReceipt.newBuilder()
                .setKey(key(key)).setClient(client).setVersion(version).setMd5(md5)
                .setGray(gray).setApplied(error == null).setError(error == null ? "" : error)).build();
    }

    static io.cairn.api.config.ReportRequest withdraw(ClientInfo client, ConfigKey key, long lease) {
        return io.cairn.api.config.ReportRequest.newBuilder().setLease(lease).setWithdraw(true)
                .setReceipt(io.cairn.api.config.ConfigReceipt.newBuilder().setKey(key(key)).setClient(client)).build();
    }

    static io.cairn.api.config.ImportPolicy policy(ImportPolicy p) {
        return switch (p) {
            case ABORT_ON_CONFLICT -> io.cairn.api.config.ImportPolicy.ABORT_ON_CONFLICT;
            case SKIP_EXISTING -> io.cairn.api.config.ImportPolicy.SKIP_EXISTING;
            case OVERWRITE -> io.cairn.api.config.ImportPolicy.OVERWRITE;
        };
    }

    static AuditRecord audit(io.cairn.api.config.AuditRecord a) {
        return new AuditRecord(a.getKey().getNamespace(), a.getKey().getGroup(), a.getKey().getDataId(), a.getAction(),
                a.getOldVersion(), a.getNewVersion(), a.getMd5(), a.getUser(), a.getClientAddress(),
                Instant.ofEpochMilli(a.getTimeMs()), a.getComment(), a.getRevision(), a.getReviewer(), a.getDraftId());
    }
}
