package io.cairn.spring.it.consumer;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestTemplate;

/** A consumer as a user writes one: a {@code @LoadBalanced RestTemplate} that calls providers by name. */
@SpringBootApplication
public class ConsumerApp {
    /** How many times the catalog was said to change, as Spring Cloud Gateway would be told. */
    public static final AtomicInteger HEARTBEATS = new AtomicInteger();

    @Bean
    ApplicationListener<HeartbeatEvent> heartbeats() {
        return event -> HEARTBEATS.incrementAndGet();
    }

    @Bean
    @LoadBalanced
    RestTemplate restTemplate() {
        return new RestTemplate();
    }
}
