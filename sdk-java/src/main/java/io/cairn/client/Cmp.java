package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;

/**
 * A condition of a txn, on one key (or a range): {@code Cmp.version("k").eq(0)} (the key does
 * not exist), {@code Cmp.createRevision(lockKey).eq(token)} (a lock is still held). A value is
 * compared with {@code eq(String)} or {@code eq(Bytes)}; versions, revisions and leases with
 * {@code eq(long)}; comparing a value with a number, or the other way round, is refused with an
 * {@link IllegalArgumentException}.
 */
public final class Cmp {
    private final Compare.Builder c;

    private Cmp(ByteString key, Compare.CompareTarget target) {
        this.c = Compare.newBuilder().setKey(key).setTarget(target);
    }

    /** A condition on the key's value, for {@code key} (UTF-8). */
    public static Cmp value(String key) {
        return value(Bytes.of(key));
    }

    /** A condition on the key's value, for {@code key}. */
    public static Cmp value(Bytes key) {
        return new Cmp(key.unwrap(), Compare.CompareTarget.VALUE);
    }

    /** A condition on the key's version (0: the key does not exist), for {@code key} (UTF-8). */
    public static Cmp version(String key) {
        return version(Bytes.of(key));
    }

    /** A condition on the key's version (0: the key does not exist), for {@code key}. */
    public static Cmp version(Bytes key) {
        return new Cmp(key.unwrap(), Compare.CompareTarget.VERSION);
    }

    /** A condition on the key's create revision (0: it does not exist), for {@code key} (UTF-8). */
    public static Cmp createRevision(String key) {
        return createRevision(Bytes.of(key));
    }

    /** A condition on the key's create revision (0: it does not exist), for {@code key}. */
    public static Cmp createRevision(Bytes key) {
        return new Cmp(key.unwrap(), Compare.CompareTarget.CREATE);
    }

    /** A condition on the key's last modification revision, for {@code key} (UTF-8). */
    public static Cmp modRevision(String key) {
        return modRevision(Bytes.of(key));
    }

    /** A condition on the key's last modification revision, for {@code key}. */
    public static Cmp modRevision(Bytes key) {
        return new Cmp(key.unwrap(), Compare.CompareTarget.MOD);
    }

    /** A condition on the key's lease (0: none), for {@code key} (UTF-8). */
    public static Cmp lease(String key) {
        return lease(Bytes.of(key));
    }

    /** A condition on the key's lease (0: none), for {@code key}. */
    public static Cmp lease(Bytes key) {
        return new Cmp(key.unwrap(), Compare.CompareTarget.LEASE);
    }

    /** Applies the condition to every key with this prefix. */
    public Cmp prefix() {
        c.setRangeEnd(Keys.prefixEnd(c.getKey()));
        return this;
    }

    /** Applies the condition to every key in [key, end). */
    public Cmp rangeEnd(Bytes end) {
        c.setRangeEnd(end.unwrap());
        return this;
    }

    /** The number is equal to {@code operand}. */
    public Condition eq(long operand) {
        return number(Compare.CompareResult.EQUAL, operand);
    }

    /** The number is not equal to {@code operand}. */
    public Condition ne(long operand) {
        return number(Compare.CompareResult.NOT_EQUAL, operand);
    }

    /** The number is greater than {@code operand}. */
    public Condition gt(long operand) {
        return number(Compare.CompareResult.GREATER, operand);
    }

    /** The number is less than {@code operand}. */
    public Condition lt(long operand) {
        return number(Compare.CompareResult.LESS, operand);
    }

    /** The value is equal to {@code value} (UTF-8), compared byte by byte. */
    public Condition eq(String value) {
        return eq(Bytes.of(value));
    }

    /** The value is not equal to {@code value} (UTF-8), compared byte by byte. */
    public Condition ne(String value) {
        return ne(Bytes.of(value));
    }

    /** The value is greater than {@code value} (UTF-8), compared byte by byte. */
    public Condition gt(String value) {
        return gt(Bytes.of(value));
    }

    /** The value is less than {@code value} (UTF-8), compared byte by byte. */
    public Condition lt(String value) {
        return lt(Bytes.of(value));
    }

    /** The value is equal to {@code value}, compared byte by byte. */
    public Condition eq(Bytes value) {
        return value(Compare.CompareResult.EQUAL, value);
    }

    /** The value is not equal to {@code value}, compared byte by byte. */
    public Condition ne(Bytes value) {
        return value(Compare.CompareResult.NOT_EQUAL, value);
    }

    /** The value is greater than {@code value}, compared byte by byte. */
    public Condition gt(Bytes value) {
        return value(Compare.CompareResult.GREATER, value);
    }

    /** The value is less than {@code value}, compared byte by byte. */
    public Condition lt(Bytes value) {
        return value(Compare.CompareResult.LESS, value);
    }

    private Condition value(Compare.CompareResult result, Bytes value) {
        if (c.getTarget() != Compare.CompareTarget.VALUE) {
            throw new IllegalArgumentException(c.getTarget() + " is compared with a number, not bytes");
        }
        return new Condition(c.clone().setResult(result).setValue(value.unwrap()).build());
    }

    private Condition number(Compare.CompareResult result, long operand) {
        Compare.Builder b = c.clone().setResult(result);
        switch (c.getTarget()) {
            case VERSION -> b.setVersion(operand);
            case CREATE -> b.setCreateRevision(operand);
            case MOD -> b.setModRevision(operand);
            case LEASE -> b.setLease(operand);
            default -> throw new IllegalArgumentException("a value is compared with a String or Bytes, not a number");
        }
        return new Condition(b.build());
    }

    /** A finished condition, for {@link Txn#when}. */
    public static final class Condition {
        private final Compare compare;

        private Condition(Compare compare) {
            this.compare = compare;
        }

        Compare compare() {
            return compare;
        }
    }
}
