/**
 * Service discovery's vocabulary: what an instance is ({@link io.cairn.client.discovery.ServiceInstance}),
 * how to register one ({@link io.cairn.client.discovery.RegistrationSpec}), look instances up
 * ({@link io.cairn.client.discovery.InstanceQuery}) and change them
 * ({@link io.cairn.client.discovery.InstanceUpdate}), what a subscriber is told
 * ({@link io.cairn.client.discovery.InstanceChange}), and the client-side load balancers that
 * choose an instance for a request ({@link io.cairn.client.discovery.LoadBalancer}).
 *
 * <p>The calls themselves are on {@link io.cairn.client.Discovery}, from {@code client.discovery()}:
 *
 * <pre>{@code
 * Discovery discovery = client.discovery();
 * // registered while the handle is open: kept alive, registered again if its lease is lost
 * try (Registration me = discovery.sync().register(RegistrationSpec.builder("orders")
 *         .address("10.0.0.5", 8080).zone("eu-1").ttl(Duration.ofSeconds(10)).build())) {
 *
 *     // a view kept current by the client's one subscription to the service
 *     try (ServiceInstances payments = discovery.sync().instances("default", "payments")) {
 *         LoadBalancer balancer = LoadBalancer.zoneAffinity("eu-1", LoadBalancer.weightedRandom());
 *         try (Pick pick = payments.pick(balancer).orElseThrow()) {
 *             call(pick.instance().host(), pick.instance().port());
 *         }
 *     }
 * }
 * }</pre>
 */
package io.cairn.client.discovery;
