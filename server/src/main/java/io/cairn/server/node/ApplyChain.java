package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.apply.Applier;
import io.cairn.server.apply.BackendApplier;
import io.cairn.server.apply.CappedApplier;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.apply.UndoingApplier;
import io.cairn.server.auth.AuthApplier;
import io.cairn.server.auth.AuthStore;
import io.cairn.server.auth.Tokens;
import io.cairn.server.config.ConfigApplier;
import io.cairn.server.lease.LeaseApplier;
import io.cairn.server.lease.LeaseStore;
import io.cairn.server.lease.Lessor;
import io.cairn.server.membership.MemberStore;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The appliers every committed command goes through, outermost first: undo on failure, the
 * space quota, permissions, then the stores. Built in one place so that the tests that apply
 * commands without raft apply them as a member does.
 */
public final class ApplyChain {
    private ApplyChain() {
    }

    /** The chain over these stores; {@code leaseKeyRevoked} hears each key a lease's end deletes. */
    public static Applier of(KvApplier kv, AlarmStore alarms, MemberStore members, LeaseStore leases, Lessor lessor,
            AuthStore auth, Tokens tokens, Consumer<ByteString> leaseKeyRevoked) {
        return new UndoingApplier(new CappedApplier(alarms, new AuthApplier(auth, tokens, id -> leaseKeys(leases, id),
                new BackendApplier(kv, alarms, members, new LeaseApplier(leases, lessor, leaseKeyRevoked),
                        new ConfigApplier(kv)))));
    }

    private static Collection<ByteString> leaseKeys(LeaseStore leases, long id) {
        LeaseStore.Lease lease = leases.get(id);
        return lease == null ? List.of() : List.copyOf(lease.keys());
    }
}
