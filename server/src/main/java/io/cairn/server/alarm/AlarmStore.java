package io.cairn.server.alarm;

import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmType;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The active alarms of the cluster, one per member and type. Changed on the apply thread only;
 * read anywhere through an immutable snapshot.
 */
public final class AlarmStore {
    private static final Comparator<AlarmMember> ORDER = Comparator
            .comparingLong(AlarmMember::getMemberID).thenComparingInt(AlarmMember::getAlarmValue);

    private volatile List<AlarmMember> active;

    private AlarmStore(List<AlarmMember> active) {
        this.active = active;
    }

    public static AlarmStore load(Backend backend) {
        return new AlarmStore(read(backend));
    }

    /** Reads the alarms again, after the backend was replaced. */
    public void reload(Backend backend) {
        active = read(backend);
    }

    private static List<AlarmMember> read(Backend backend) {
        List<AlarmMember> active = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : backend.scan(Schema.ALARMS)) {
            ByteBuffer key = ByteBuffer.wrap(e.getKey());
            active.add(AlarmMember.newBuilder()
                    .setMemberID(key.getLong(0)).setAlarmValue(key.getInt(8)).build());
        }
        return List.copyOf(active);
    }

    /** Every active alarm, ordered by member then type. */
    public List<AlarmMember> active() {
        return active;
    }

    public boolean isActive(AlarmType type) {
        for (AlarmMember a : active) {
            if (a.getAlarm() == type) {
                return true;
            }
        }
        return false;
    }

    /** Raises {@code type} for {@code memberId}; returns false if it was already raised. */
    public boolean activate(WriteBatch batch, long memberId, AlarmType type) {
        AlarmMember alarm = AlarmMember.newBuilder().setMemberID(memberId).setAlarm(type).build();
        if (active.contains(alarm)) {
            return false;
        }
        batch.put(Schema.ALARMS, key(memberId, type), new byte[0]);
        List<AlarmMember> next = new ArrayList<>(active);
        next.add(alarm);
        next.sort(ORDER);
        active = List.copyOf(next);
        return true;
    }

    /** Disarms {@code type} for {@code memberId} (every member when 0); returns what was disarmed. */
    public List<AlarmMember> deactivate(WriteBatch batch, long memberId, AlarmType type) {
        List<AlarmMember> gone = new ArrayList<>();
        List<AlarmMember> next = new ArrayList<>();
        for (AlarmMember a : active) {
            boolean match = a.getAlarm() == type && (memberId == 0 || a.getMemberID() == memberId);
            if (match) {
                batch.delete(Schema.ALARMS, key(a.getMemberID(), a.getAlarm()));
                gone.add(a);
            } else {
                next.add(a);
            }
        }
        active = List.copyOf(next);
        return gone;
    }

    private static byte[] key(long memberId, AlarmType type) {
        return ByteBuffer.allocate(12).putLong(memberId).putInt(type.getNumber()).array();
    }
}
