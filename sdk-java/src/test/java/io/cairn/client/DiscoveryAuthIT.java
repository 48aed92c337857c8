package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery under authentication: a refused subscription says why and stops, and a later one
 * tries afresh; a TTL registration is kept alive with the user's token; a namespace's access is
 * the key-range permission on its prefix.
 */
@ExtendWith(OwnedProcesses.class)
class DiscoveryAuthIT {
    @TempDir
    Path dir;

    private CairnProcess cairn;

    private static Auth.Permission readWrite(String prefix) {
        Bytes key = Bytes.of(prefix);
        return new Auth.Permission(Auth.Permission.Type.READWRITE, key, Keys.prefixEnd(key));
    }

    /** A member with auth on: root, and a user "shop" allowed the namespace "shop" only. */
    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "6").start();
        try (Client setup = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            Auth.Sync auth = setup.auth().sync();
            auth.userAdd("root", "rootpw");
            auth.roleAdd("root");
            auth.userGrantRole("root", "root");
            auth.roleAdd("shop");
            auth.roleGrantPermission("shop", readWrite("/cairn/registry/shop/"));
            auth.userAdd("shop", "shoppw");
            auth.userGrantRole("shop", "shop");
            auth.enable();
        }
    }

    private Client as(String user, String password) {
        return Client.builder().endpoints(cairn.advertisedClientUrl()).user(user, password).build();
    }

    @Test
    void aRefusedSubscriptionSaysWhyAndALaterOneTriesAfresh() throws Exception {
        try (Client root = as("root", "rootpw"); Client shop = as("shop", "shoppw")) {
            root.discovery().sync().register(RegistrationSpec.builder("cart").id("d1").address("10.0.0.2", 80).build());

            RecordingListener refused = new RecordingListener();
            ServiceInstances denied = shop.discovery().subscribe("default", "cart", refused);
            ExecutionException why = catchThrowableOfType(ExecutionException.class, () -> denied.ready().get(10, TimeUnit.SECONDS));
            assertThat(((CairnException) why.getCause()).code()).isEqualTo(CairnException.Code.PERMISSION_DENIED);
            assertThat(refused.next(Duration.ofSeconds(5))).isEqualTo("ERROR:etcdserver: permission denied");
            CairnException syncDenied = catchThrowableOfType(CairnException.class,
                    () -> shop.discovery().sync().instances("default", "cart"));
            assertThat(syncDenied.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED);

            // allowed now (as root, which the registry allows everything): a new view subscribes
            // afresh, though the refused one is still open
            root.auth().sync().userGrantRole("shop", "root");
            try (ServiceInstances allowed = shop.discovery().sync().instances("default", "cart")) {
                assertThat(allowed.instances()).extracting(ServiceInstance::id).containsExactly("d1");
            }
            denied.close();

            // the TTL registration's keep-alive carries the user's token: it outlives its TTL
            Registration mine = shop.discovery().sync().register(RegistrationSpec.builder("cart").namespace("shop")
                    .id("c1").address("10.0.0.1", 80).ttl(Duration.ofSeconds(2)).build());
            Thread.sleep(4500);
            assertThat(root.discovery().sync().listInstances(new ServiceKey("shop", "cart")).instances())
                    .extracting(ServiceInstance::id).containsExactly("c1");
            assertThat(mine.registered()).isTrue();
            mine.close();
            assertThat(root.discovery().sync().listInstances(new ServiceKey("shop", "cart")).instances()).isEmpty();
        }
    }

    @Test
    void aUserSeesAndChangesOnlyTheNamespacesItsRolesAllow() throws Exception {
        try (Client root = as("root", "rootpw"); Client shop = as("shop", "shoppw")) {
            Registration mine = shop.discovery().sync().register(RegistrationSpec.builder("cart").namespace("shop")
                    .id("c1").address("10.0.0.1", 80).build());
            root.discovery().sync().register(RegistrationSpec.builder("cart").id("d1").address("10.0.0.2", 80).build());
            assertThat(shop.discovery().sync().listInstances(new ServiceKey("shop", "cart")).instances())
                    .extracting(ServiceInstance::id).containsExactly("c1");
            try (ServiceInstances view = shop.discovery().sync().instances("shop", "cart")) {
                assertThat(view.instances()).extracting(ServiceInstance::id).containsExactly("c1");
            }

            CairnException register = catchThrowableOfType(CairnException.class, () -> shop.discovery().sync().register(
                    RegistrationSpec.builder("cart").id("x").address("10.0.0.3", 80).build()));
            assertThat(register.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED);
            CairnException lookup = catchThrowableOfType(CairnException.class,
                    () -> shop.discovery().sync().listInstances(ServiceKey.of("cart")));
            assertThat(lookup.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED);
            CairnException subscribe = catchThrowableOfType(CairnException.class,
                    () -> shop.discovery().sync().instances("default", "cart"));
            assertThat(subscribe.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED);
            mine.close();
        }
    }
}
