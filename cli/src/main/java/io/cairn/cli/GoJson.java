package io.cairn.cli;

import io.cairn.client.Auth;
import io.cairn.client.Bytes;
import io.cairn.client.Cluster;
import io.cairn.client.DeleteResponse;
import io.cairn.client.GetResponse;
import io.cairn.client.Header;
import io.cairn.client.KeepAliveReply;
import io.cairn.client.KeyValue;
import io.cairn.client.LeaseGrant;
import io.cairn.client.LeaseTimeToLive;
import io.cairn.client.Maintenance;
import io.cairn.client.OpResponse;
import io.cairn.client.PutResponse;
import io.cairn.client.TxnResponse;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The SDK's answers as etcdctl -w json prints etcd's: Go's encoding/json over etcd's generated
 * structs. Each answer is written as the etcd message it stands for: that message's proto field
 * names in field-number order, zero values left out (omitempty), int64 as numbers and uint64
 * unsigned, bytes in base64, enums as their numbers, and a oneof as
 * {"Oneof":{"FieldInCamelCase":...}}. For example a txn's get answers
 * {"Response":{"ResponseRange":{"header":{"revision":15},"kvs":[...],"count":1}}}. A header is
 * printed whenever there is one, even all zero ({}), as etcd always sends one.
 */
final class GoJson {
    private final StringBuilder out = new StringBuilder("{");

    private GoJson() {
    }

    /** RangeResponse. */
    static String get(GetResponse r) {
        return new GoJson().header(r.header()).array("kvs", r.kvs(), GoJson::kv).bool("more", r.more())
                .number("count", r.count()).end();
    }

    /** PutResponse. */
    static String put(PutResponse r) {
        return new GoJson().header(r.header()).object("prev_kv", r.prevKv() == null ? null : kv(r.prevKv())).end();
    }

    /** DeleteRangeResponse. */
    static String delete(DeleteResponse r) {
        return new GoJson().header(r.header()).number("deleted", r.deleted()).array("prev_kvs", r.prevKvs(), GoJson::kv).end();
    }

    /** TxnResponse. */
    static String txn(TxnResponse r) {
        return new GoJson().header(r.header()).bool("succeeded", r.succeeded()).array("responses", r.responses(), GoJson::op)
                .end();
    }

    /** ResponseOp: the answer in its oneof. */
    private static String op(OpResponse op) {
        String oneof;
        if (op instanceof GetResponse g) {
            oneof = "\"ResponseRange\":" + get(g);
        } else if (op instanceof PutResponse p) {
            oneof = "\"ResponsePut\":" + put(p);
        } else if (op instanceof DeleteResponse d) {
            oneof = "\"ResponseDeleteRange\":" + delete(d);
        } else {
            oneof = "\"ResponseTxn\":" + txn((TxnResponse) op);
        }
        return "{\"Response\":{" + oneof + "}}";
    }

    /** mvccpb.KeyValue. */
    static String kv(KeyValue kv) {
        return new GoJson().bytes("key", kv.key()).number("create_revision", kv.createRevision())
                .number("mod_revision", kv.modRevision()).number("version", kv.version()).bytes("value", kv.value())
                .number("lease", kv.lease()).end();
    }

    /** An answer that is only a header: LeaseRevokeResponse, CompactionResponse and the like. */
    static String headerOnly(Header h) {
        return new GoJson().header(h).end();
    }

    /** LeaseGrantResponse. */
    static String leaseGrant(LeaseGrant g) {
        return new GoJson().header(g.header()).number("ID", g.id()).number("TTL", g.ttl()).end();
    }

    /** LeaseTimeToLiveResponse. */
    static String timeToLive(LeaseTimeToLive t) {
        return new GoJson().header(t.header()).number("ID", t.id()).number("TTL", t.ttl()).number("grantedTTL", t.grantedTtl())
                .array("keys", t.keys(), GoJson::base64).end();
    }

    /** LeaseLeasesResponse; {@code h} null when there is none to print. */
    static String leases(Header h, List<Long> ids) {
        return new GoJson().header(h).array("leases", ids, id -> new GoJson().number("ID", id).end()).end();
    }

    /** LeaseKeepAliveResponse. */
    static String keepAlive(KeepAliveReply r) {
        return new GoJson().header(r.header()).number("ID", r.id()).number("TTL", r.ttl()).end();
    }

    /** MemberListResponse. */
    static String members(Cluster.MemberList r) {
        return new GoJson().header(r.header()).array("members", r.members(), GoJson::member).end();
    }

    /** MemberAddResponse. */
    static String memberAdded(Cluster.MemberAdded r) {
        return new GoJson().header(r.header()).object("member", member(r.member()))
                .array("members", r.members(), GoJson::member).end();
    }

    private static String member(Cluster.Member m) {
        return new GoJson().unsigned("ID", m.id()).string("name", m.name()).array("peerURLs", m.peerUrls(), GoJson::quote)
                .array("clientURLs", m.clientUrls(), GoJson::quote).bool("isLearner", m.learner()).end();
    }

    /** StatusResponse. */
    static String status(Maintenance.Status s) {
        return new GoJson().header(s.header()).string("version", s.version()).number("dbSize", s.dbSize())
                .unsigned("leader", s.leader()).unsigned("raftIndex", s.raftIndex()).unsigned("raftTerm", s.raftTerm())
                .unsigned("raftAppliedIndex", s.raftAppliedIndex()).array("errors", s.errors(), GoJson::quote)
                .number("dbSizeInUse", s.dbSizeInUse()).bool("isLearner", s.learner()).end();
    }

    /** AuthStatusResponse. */
    static String authStatus(Auth.AuthStatus s) {
        return new GoJson().header(s.header()).bool("enabled", s.enabled()).unsigned("authRevision", s.authRevision()).end();
    }

    /** AuthUserGetResponse and AuthRoleListResponse; {@code h} null when there is none to print. */
    static String roles(Header h, List<String> roles) {
        return new GoJson().header(h).array("roles", roles, GoJson::quote).end();
    }

    /** AuthUserListResponse; {@code h} null when there is none to print. */
    static String users(Header h, List<String> users) {
        return new GoJson().header(h).array("users", users, GoJson::quote).end();
    }

    /** AuthRoleGetResponse; {@code h} null when there is none to print. */
    static String permissions(Header h, List<Auth.Permission> perms) {
        return new GoJson().header(h).array("perm", perms, GoJson::permission).end();
    }

    /** authpb.Permission; its type as the proto numbers it (READ 0, WRITE 1, READWRITE 2). */
    private static String permission(Auth.Permission p) {
        int type = switch (p.type()) {
            case READ -> 0;
            case WRITE -> 1;
            case READWRITE -> 2;
        };
        return new GoJson().number("permType", type).bytes("key", p.key()).bytes("range_end", p.rangeEnd()).end();
    }

    /** etcd's ResponseHeader (cluster and member ids and the term are uint64); null is left out. */
    private GoJson header(Header h) {
        return h == null ? this : field("header", headerObject(h));
    }

    /** etcd's ResponseHeader on its own, for answers that are not etcd messages (the registry's). */
    static String headerObject(Header h) {
        return new GoJson().unsigned("cluster_id", h.clusterId()).unsigned("member_id", h.memberId())
                .number("revision", h.revision()).unsigned("raft_term", h.raftTerm()).end();
    }

    private GoJson number(String name, long v) {
        return v == 0 ? this : field(name, Long.toString(v));
    }

    private GoJson unsigned(String name, long v) {
        return v == 0 ? this : field(name, Long.toUnsignedString(v));
    }

    private GoJson bool(String name, boolean v) {
        return v ? field(name, "true") : this;
    }

    private GoJson string(String name, String v) {
        return v == null || v.isEmpty() ? this : field(name, quote(v));
    }

    private GoJson bytes(String name, Bytes v) {
        return v == null || v.isEmpty() ? this : field(name, base64(v));
    }

    private GoJson object(String name, String json) {
        return json == null ? this : field(name, json);
    }

    private <T> GoJson array(String name, List<T> items, Function<T, String> each) {
        return items.isEmpty() ? this : field(name, items.stream().map(each).collect(Collectors.joining(",", "[", "]")));
    }

    private GoJson field(String name, String json) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append('"').append(name).append("\":").append(json);
        return this;
    }

    private String end() {
        return out.append('}').toString();
    }

    private static String base64(Bytes b) {
        return '"' + Base64.getEncoder().encodeToString(b.toByteArray()) + '"';
    }

    /** A Go string literal as encoding/json writes it, HTML-safe. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                case '<' -> q.append("\\u003c");
                case '>' -> q.append("\\u003e");
                case '&' -> q.append("\\u0026");
                case '\u2028', '\u2029' -> q.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
