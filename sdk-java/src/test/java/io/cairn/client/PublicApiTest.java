package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's public API speaks only its own types and the JDK's: a user never needs a gRPC or
 * protobuf import, and the wire types can change without breaking anyone.
 */
class PublicApiTest {
    private static final List<String> FORBIDDEN = List.of("io.grpc.", "com.google.protobuf.", "io.cairn.api.");
    private static final List<String> PACKAGES = List.of("io.cairn.client", "io.cairn.client.discovery", "io.cairn.client.config");

    @Test
    void noPublicSignatureMentionsAWireType() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> types = publicTypes();
        assertThat(types).as("the SDK's public types").contains(Client.class, Kv.class, Watch.Watcher.class, KeyValue.class,
                Discovery.class, Registration.class, ServiceInstances.class, io.cairn.client.discovery.ServiceInstance.class,
                io.cairn.client.discovery.LoadBalancer.class, Configs.class, ConfigView.class, ConfigSubscription.class,
                io.cairn.client.config.Config.class, io.cairn.client.config.ConfigListener.class);
        for (Class<?> type : types) {
            check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
            for (Type i : type.getGenericInterfaces()) {
                check(type.getName() + " implements", i, leaks);
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f)) {
                    check(type.getName() + "." + f.getName(), f.getGenericType(), leaks);
                }
            }
            List<Executable> calls = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            calls.addAll(List.of(type.getDeclaredMethods()));
            for (Executable e : calls) {
                if (!visible(e) || e.isSynthetic()) {
                    continue;
                }
                String where = type.getName() + "." + e.getName() + "(...)";
                if (e instanceof Method m) {
                    check(where + " returns", m.getGenericReturnType(), leaks);
                }
                for (Type p : e.getGenericParameterTypes()) {
                    check(where + " takes", p, leaks);
                }
                for (Type x : e.getGenericExceptionTypes()) {
                    check(where + " throws", x, leaks);
                }
            }
        }
        assertThat(leaks).as("public signatures that expose a wire type").isEmpty();
    }

    @Test
    void theCheckSeesAWireTypeInsideAGenericSignature() throws Exception {
        List<String> leaks = new ArrayList<>();
        Method planted = Planted.class.getDeclaredMethod("leak");
        check("planted", planted.getGenericReturnType(), leaks);
        assertThat(leaks).hasSize(1);
    }

    /** A signature the check must catch: a wire type as a type argument. */
    interface Planted {
        java.util.concurrent.CompletableFuture<List<io.cairn.api.etcd.KeyValue>> leak();
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private static void check(String where, Type type, List<String> leaks) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String name = c.getName();
            if (FORBIDDEN.stream().anyMatch(name::startsWith)) {
                leaks.add(where + ": " + name);
            }
        } else if (type instanceof ParameterizedType p) {
            check(where, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) {
                check(where, a, leaks);
            }
        } else if (type instanceof GenericArrayType a) {
            check(where, a.getGenericComponentType(), leaks);
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> check(where, b, leaks));
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(where, b, leaks);
            }
        }
    }

    /** Every public class of the SDK's packages, nested ones included, read from the build output. */
    private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Client.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : PACKAGES) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    String name = pkg + "." + f.getFileName().toString().replace(".class", "");
                    Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                    if (isPublicAll(c)) {
                        types.add(c);
                    }
                }
            }
        }
        return types;
    }

    private static boolean isPublicAll(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}
