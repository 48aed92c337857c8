package io.cairn.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyRangeOrderTest {
    @Test
    void ordersKeysAsUnsignedBytesWithAPrefixFirst() {
        assertThat(KeyRange.ORDER.compare(bytes(0x01), bytes(0xff))).isNegative();
        assertThat(KeyRange.ORDER.compare(bytes(0x7f), bytes(0x80))).isNegative();
        assertThat(KeyRange.ORDER.compare(bytes('a'), bytes('a', 0))).isNegative();
        assertThat(KeyRange.ORDER.compare(ByteString.EMPTY, bytes(0))).isNegative();
        assertThat(KeyRange.ORDER.compare(bytes('a', 'b'), bytes('a', 'b'))).isZero();
    }

    /** protobuf's comparator is the reference: the same sign on every pair, slices and concatenations included. */
    @Test
    void agreesWithProtobufsComparator() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            ByteString a = randomKey(random);
            ByteString b = random.nextInt(4) == 0 ? a.concat(randomKey(random)) : randomKey(random);
            if (random.nextBoolean() && !b.isEmpty()) {
                b = b.substring(random.nextInt(b.size()));
            }
            assertThat(Integer.signum(KeyRange.ORDER.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(ByteString.unsignedLexicographicalComparator().compare(a, b)));
        }
    }

    private static ByteString randomKey(Random random) {
        byte[] key = new byte[random.nextInt(6)];
        for (int j = 0; j < key.length; j++) {
            key[j] = (byte) (random.nextBoolean() ? random.nextInt(256) : 'a' + random.nextInt(3));
        }
        return ByteString.copyFrom(key);
    }

    private static ByteString bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return ByteString.copyFrom(out);
    }
}
