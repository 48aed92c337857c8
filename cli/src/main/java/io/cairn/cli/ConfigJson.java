package io.cairn.cli;

import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.Config;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.Namespace;

/**
 * The config center's records for {@code cairnctl config ... -w json}, with the field names of
 * its wire contract in camel case (as the metadata and history keys hold them), every field
 * present, times as epoch milliseconds. For example a version:
 * {@code {"namespace":"default","group":"DEFAULT_GROUP","dataId":"orders.yaml","version":2,
 * "format":"YAML","content":"pool: 40\n","md5":"...","change":"PUBLISHED","author":"root",
 * "clientAddress":"127.0.0.1:50412","comment":"","timeMs":1796162400000,"revision":9,
 * "sourceVersion":0,"size":9,"gray":false}}; answers that carry no content (put, list, history)
 * have {@code "content":""}.
 */
final class ConfigJson {
    private ConfigJson() {
    }

    static String config(Config c) {
        return new JsonRecord().string("namespace", c.key().namespace()).string("group", c.key().group())
                .string("dataId", c.key().dataId()).number("version", c.version()).string("format", c.format().name())
                .string("content", c.content()).string("md5", c.md5()).string("change", c.change().name())
                .string("author", c.author()).string("clientAddress", c.clientAddress()).string("comment", c.comment())
                .number("timeMs", c.time().toEpochMilli()).number("revision", c.revision())
                .number("sourceVersion", c.sourceVersion()).number("size", c.size()).bool("gray", c.gray())
                .raw("secrets", secrets(c.secrets())).bool("masked", c.masked()).end();
    }

    static String secrets(io.cairn.client.config.Secrets s) {
        return new JsonRecord().bool("whole", s.whole()).array("keys", s.keys(), GoJson::quote).end();
    }

    static String namespace(Namespace n) {
        return new JsonRecord().string("name", n.name()).string("description", n.description())
                .number("createdMs", n.created().toEpochMilli()).number("configs", n.configs()).bool("builtin", n.builtin())
                .bool("reviewRequired", n.reviewRequired()).end();
    }

    static String gray(GrayRelease g) {
        return new JsonRecord().string("namespace", g.key().namespace()).string("group", g.key().group())
                .string("dataId", g.key().dataId()).string("content", g.content()).string("format", g.format().name())
                .string("md5", g.md5()).raw("rules", rules(g.rules())).number("baseVersion", g.baseVersion())
                .string("author", g.author()).number("timeMs", g.time().toEpochMilli()).string("comment", g.comment())
                .number("revision", g.revision()).end();
    }

    private static String rules(GrayRules r) {
        return new JsonRecord().map("labels", r.labels()).array("addresses", r.addresses(), GoJson::quote)
                .number("percent", r.percent()).end();
    }

    static String audit(AuditRecord a) {
        return new JsonRecord().string("namespace", a.namespace()).string("group", a.group()).string("dataId", a.dataId())
                .string("action", a.action()).number("oldVersion", a.oldVersion()).number("newVersion", a.newVersion())
                .string("md5", a.md5()).string("user", a.user()).string("clientAddress", a.clientAddress())
                .number("timeMs", a.time().toEpochMilli()).string("comment", a.comment()).number("revision", a.revision())
                .string("reviewer", a.reviewer()).number("draftId", a.draftId()).end();
    }
}
