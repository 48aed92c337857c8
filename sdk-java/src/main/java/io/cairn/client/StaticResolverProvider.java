package io.cairn.client;

import io.grpc.Attributes;
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
 * spreads calls over every endpoint and leaves out the ones that fail. With the query
 * {@code ?own-names}, each address is dialled under its own host as the authority, so that TLS
 * checks each server's certificate for the name its endpoint was given by.
 */
final class StaticResolverProvider extends NameResolverProvider {
    static final String SCHEME = "cairn-static";
    static final String OWN_NAMES = "own-names";

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
        boolean ownNames = OWN_NAMES.equals(target.getQuery());
        for (String hostPort : target.getPath().substring(1).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            Attributes names = ownNames
                    ? Attributes.newBuilder().set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE, hostPort).build()
                    : Attributes.EMPTY;
            groups.add(new EquivalentAddressGroup(
                    new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), names));
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
