package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;

/**
 * A condition of a txn, on one key (or a range): {@code Cmp.version("k").eq(0)} (the key does
 * not exist), {@code Cmp.createRevision(lockKey).eq(token)} (a lock is still held).
 */
public final class Cmp {
    private final Compare.Builder c;

    private Cmp(ByteString key, Compare.CompareTarget target) {
        this.c = Compare.newBuilder().setKey(key).setTarget(target);
    }

    public static Cmp value(String key) {
        return new Cmp(Keys.bytes(key), Compare.CompareTarget.VALUE);
    }

    public static Cmp version(String key) {
        return new Cmp(Keys.bytes(key), Compare.CompareTarget.VERSION);
    }

    public static Cmp createRevision(String key) {
        return createRevision(Keys.bytes(key));
    }

    public static Cmp createRevision(ByteString key) {
        return new Cmp(key, Compare.CompareTarget.CREATE);
    }

    public static Cmp modRevision(String key) {
        return new Cmp(Keys.bytes(key), Compare.CompareTarget.MOD);
    }

    public static Cmp lease(String key) {
        return new Cmp(Keys.bytes(key), Compare.CompareTarget.LEASE);
    }

    /** Applies the condition to every key with this prefix. */
    public Cmp prefix() {
        c.setRangeEnd(Keys.prefixEnd(c.getKey()));
        return this;
    }

    public Compare eq(Object operand) {
        return with(Compare.CompareResult.EQUAL, operand);
    }

    public Compare ne(Object operand) {
        return with(Compare.CompareResult.NOT_EQUAL, operand);
    }

    public Compare gt(Object operand) {
        return with(Compare.CompareResult.GREATER, operand);
    }

    public Compare lt(Object operand) {
        return with(Compare.CompareResult.LESS, operand);
    }

    /** A string or bytes for value; a number for the others. */
    private Compare with(Compare.CompareResult result, Object operand) {
        c.setResult(result);
        switch (c.getTarget()) {
            case VALUE -> c.setValue(operand instanceof ByteString b ? b : Keys.bytes(String.valueOf(operand)));
            case VERSION -> c.setVersion(((Number) operand).longValue());
            case CREATE -> c.setCreateRevision(((Number) operand).longValue());
            case MOD -> c.setModRevision(((Number) operand).longValue());
            case LEASE -> c.setLease(((Number) operand).longValue());
            default -> throw new IllegalStateException("no target");
        }
        return c.build();
    }
}
