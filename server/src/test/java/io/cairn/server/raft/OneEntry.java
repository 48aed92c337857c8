package io.cairn.server.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import io.cairn.server.command.Command;
import java.nio.ByteBuffer;

/** A raft batch of one entry: from another member (no closure), or proposed here with {@code done}. */
final class OneEntry implements Iterator {
    private final ByteBuffer data;
    private final Closure done;
    private boolean consumed;
    boolean rolledBack;

    OneEntry(Command command) {
        this(command, null);
    }

    OneEntry(Command command, Closure done) {
        this.data = ByteBuffer.wrap(command.toByteArray());
        this.done = done;
    }

    @Override
    public ByteBuffer getData() {
        return data;
    }

    @Override
    public long getIndex() {
        return 1;
    }

    @Override
    public long getTerm() {
        return 1;
    }

    @Override
    public Closure done() {
        return done;
    }

    @Override
    public void setErrorAndRollback(long ntail, Status st) {
        rolledBack = true;
    }

    @Override
    public void setAutoCommitPerLog(boolean status) {
    }

    @Override
    public boolean commit() {
        return false;
    }

    @Override
    public void commitAndSnapshotSync(Closure done) {
    }

    @Override
    public boolean hasNext() {
        return !consumed;
    }

    @Override
    public ByteBuffer next() {
        consumed = true;
        return data;
    }
}
