package io.cairn.server.config;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.ExportDocument;
import io.cairn.api.config.ExportedConfig;
import io.cairn.api.config.Format;
import io.cairn.server.command.ConfigWrite;
import io.cairn.server.errors.ServerError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A namespace as one document (ExportDocument in proto3 JSON, pretty-printed), and back. */
public final class ConfigTransfer {
    /** The highest version an import may bring: far beyond any real history, far below overflow. */
    static final long MAX_VERSION = 1_000_000_000_000L;
    private ConfigTransfer() {
    }

    /**
     * @param metas    the namespace's current configs (deleted ones are left out)
     * @param contents their content by config, as the caller may see it (secrets masked or revealed)
     */
    public static String export(String namespace, List<ConfigVersion> metas, Map<ConfigKey, String> contents,
                                long revision, long nowMs) {
        ExportDocument.Builder doc = ExportDocument.newBuilder().setNamespace(namespace).setRevision(revision)
                .setExportedMs(nowMs);
        for (ConfigVersion m : metas) {
            String content = contents.getOrDefault(m.getKey(), "");
            doc.addConfigs(ExportedConfig.newBuilder().setGroup(m.getKey().getGroup()).setDataId(m.getKey().getDataId())
                    .setFormat(m.getFormat()).setContent(content).setVersion(m.getVersion()).setMd5(ConfigJson.md5(content))
                    .setJsonSchema(m.getJsonSchema()).setSecrets(m.getSecrets()));
        }
        try {
            return JsonFormat.printer().print(doc);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an export JSON cannot print", e);
        }
    }

    /** The writes importing {@code document} into {@code namespace} makes; its content still to be checked. */
    public static List<ConfigWrite> writes(String namespace, String document, String comment) {
        ExportDocument.Builder doc = ExportDocument.newBuilder();
        try {
            JsonFormat.parser().merge(document, doc);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw ServerError.CONFIG_INVALID.exception("not an export document: " + e.getMessage());
        }
        List<ConfigWrite> writes = new ArrayList<>();
        Set<ConfigKey> seen = new HashSet<>();
        for (ExportedConfig c : doc.getConfigsList()) {
            ConfigKey key = ConfigKeys.check(ConfigKey.newBuilder().setNamespace(namespace).setGroup(c.getGroup())
                    .setDataId(c.getDataId()).build());
            if (!seen.add(key)) {
                throw ServerError.CONFIG_INVALID.exception("the document has " + ConfigKeys.describe(key) + " twice");
            }
            if (!c.getMd5().isEmpty() && !c.getMd5().equals(ConfigJson.md5(c.getContent()))) {
                throw ServerError.CONFIG_INVALID.exception(ConfigKeys.describe(key) + ": the content does not match its md5");
            }
            if (c.getVersion() < 0 || c.getVersion() > MAX_VERSION) {
                throw ServerError.CONFIG_INVALID.exception(ConfigKeys.describe(key) + ": version " + c.getVersion()
                        + " is out of range (0 to " + MAX_VERSION + ")");
            }
            Format format = c.getFormat() == Format.FORMAT_UNSPECIFIED ? Format.TEXT : c.getFormat();
            if (format == Format.UNRECOGNIZED) {
                throw ServerError.UNKNOWN_ENUM.exception();
            }
            if (!c.getJsonSchema().isEmpty()) {
                ConfigSchemas.checkSchema(c.getJsonSchema());
            }
            ConfigWrite.Builder w = ConfigWrite.newBuilder().setKey(key).setFormat(format).setContent(c.getContent())
                    .setMd5(ConfigJson.md5(c.getContent())).setChange(Change.IMPORTED).setComment(comment)
                    .setVersion(c.getVersion()).setJsonSchema(c.getJsonSchema());
            if (c.hasSecrets()) { // else: what the config has secret stays so
                w.setSecrets(c.getSecrets());
            }
            writes.add(w.build());
        }
        return writes;
    }
}
