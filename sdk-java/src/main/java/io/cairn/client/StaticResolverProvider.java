package io.cairn.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code cairn-static:///host1:port1,host2:port2} to those addresses, so one channel
 * spreads calls over every endpoint and leaves out the ones that fail.
 */
final class StaticResolverProvider extends NameResolverProvider {
    static final String SCHEME = "cairn-static";

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!SCHEME.equals(target.getScheme())) {
            return null;
        }
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (String hostPort : target.getPath().substring(1).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            groups.add(new EquivalentAddressGroup(new InetSocketAddress(
                    hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))));
        }
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return groups.isEmpty() ? "cairn" : ((InetSocketAddress) groups.get(0).getAddresses().get(0)).getHostString();
            }

            @Override
            public void start(Listener2 listener) {
                if (groups.isEmpty()) {
                    listener.onError(Status.UNAVAILABLE.withDescription("no endpoints"));
                    return;
                }
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            }

            @Override
            public void shutdown() {
            }
        };
    }
}
