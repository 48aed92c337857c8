package io.cairn.client;

import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.ResponseOp;
import java.util.List;

/** The generated wire types, read into the SDK's own; nothing generated leaves the SDK. */
final class Wire {
    private Wire() {
    }

    static Header header(ResponseHeader h) {
        return new Header(h.getClusterId(), h.getMemberId(), h.getRevision(), h.getRaftTerm());
    }

    static KeyValue kv(io.cairn.api.etcd.KeyValue kv) {
        return new KeyValue(Bytes.wrap(kv.getKey()), Bytes.wrap(kv.getValue()), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    static List<KeyValue> kvs(List<io.cairn.api.etcd.KeyValue> kvs) {
        return kvs.stream().map(Wire::kv).toList();
    }

    static Event event(io.cairn.api.etcd.Event e) {
        return new Event(e.getType() == io.cairn.api.etcd.Event.EventType.DELETE ? Event.Type.DELETE : Event.Type.PUT,
                kv(e.getKv()), e.hasPrevKv() ? kv(e.getPrevKv()) : null);
    }

    static GetResponse get(io.cairn.api.etcd.RangeResponse r) {
        return new GetResponse(header(r.getHeader()), kvs(r.getKvsList()), r.getCount(), r.getMore());
    }

    static PutResponse put(io.cairn.api.etcd.PutResponse r) {
        return new PutResponse(header(r.getHeader()), r.hasPrevKv() ? kv(r.getPrevKv()) : null);
    }

    static DeleteResponse delete(io.cairn.api.etcd.DeleteRangeResponse r) {
        return new DeleteResponse(header(r.getHeader()), r.getDeleted(), kvs(r.getPrevKvsList()));
    }

    static TxnResponse txn(io.cairn.api.etcd.TxnResponse r) {
        return new TxnResponse(header(r.getHeader()), r.getSucceeded(), r.getResponsesList().stream().map(Wire::op).toList());
    }

    private static OpResponse op(ResponseOp op) {
        return switch (op.getResponseCase()) {
            case RESPONSE_RANGE -> get(op.getResponseRange());
            case RESPONSE_PUT -> put(op.getResponsePut());
            case RESPONSE_DELETE_RANGE -> delete(op.getResponseDeleteRange());
            case RESPONSE_TXN -> txn(op.getResponseTxn());
            case RESPONSE_NOT_SET -> throw new CairnException(CairnException.Code.INTERNAL, "an empty txn answer", null);
        };
    }
}
