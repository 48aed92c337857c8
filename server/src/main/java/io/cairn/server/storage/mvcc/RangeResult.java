package io.cairn.server.storage.mvcc;

import io.cairn.api.etcd.KeyValue;
import java.util.List;

/**
 * A range's answer.
 *
 * @param kvs      the key-values in key order, at most the limit
 * @param count    the number of keys in the range at the read revision, regardless of the limit
 * @param revision the store's current revision when read (not the revision read at), as etcd
 *                 reports it in the response header
 */
public record RangeResult(List<KeyValue> kvs, long count, long revision) {
}
